// 今日任务: the officer's worklist, units, nearby units and the offline queue, in one page.
// Data comes from data.json while online and from IndexedDB (FieldStore) without signal; records
// made here are queued and sent in order through the ordinary API, each with its own client id.
(function () {
  "use strict";
  var root = document.getElementById("field");
  if (!root || !self.FieldStore) { return; }
  var Store = self.FieldStore;
  var view = document.getElementById("view");
  var API = root.dataset.api;
  var MAX_PX = parseInt(root.dataset.photoMaxPx, 10) || 1600;
  var MAX_BYTES = parseInt(root.dataset.photoMaxBytes, 10) || 5 * 1024 * 1024;
  var data = null;
  var syncing = false;
  var FIRST_ITEMS = 50, showAll = false;
  var FIELD_NAMES = {unit: "单位", inspected_on: "检查日期", kind: "检查类型", campaign: "专项行动", note: "备注",
    inspection: "检查记录", category: "隐患类别", description: "隐患描述", found_on: "发现日期", is_major: "重大火灾隐患",
    date: "复查日期", image: "照片", client_id: "记录编号", hazard: "隐患", non_field_errors: "", detail: ""};

  // ---- small helpers ---------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; } else if (k === "on") {
        Object.keys(attrs.on).forEach(function (ev) { node.addEventListener(ev, attrs.on[ev]); });
      } else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); } });
    return node;
  }
  function label(list, value) {
    var hit = (list || []).filter(function (pair) { return String(pair[0]) === String(value); })[0];
    return hit ? hit[1] : (value || "");
  }
  function choices(name) { return (data && data.choices[name]) || []; }
  function unitById(id) { return (data ? data.units : []).filter(function (u) { return u.id === id; })[0]; }
  function hazardById(id) {
    var found = null;
    (data ? data.units : []).forEach(function (u) { u.hazards.forEach(function (h) { if (h.id === id) { found = {hazard: h, unit: u}; } }); });
    return found;
  }
  function today() { return (data && data.today) || new Date().toISOString().slice(0, 10); }
  function cookie(name) {
    var m = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return m ? decodeURIComponent(m[1]) : "";
  }
  function select(name, options, value, blank) {
    var s = el("select", {name: name, id: "f-" + name});
    if (blank !== undefined) { s.appendChild(el("option", {value: "", text: blank})); }
    options.forEach(function (pair) {
      s.appendChild(el("option", {value: pair[0], text: pair[1], selected: String(pair[0]) === String(value) ? "selected" : null}));
    });
    return s;
  }
  function field(text, input, hint) {
    return el("div", {"class": "field"}, [el("label", {"for": input.id, text: text}), input,
      hint ? el("span", {"class": "help", text: hint}) : null]);
  }

  // ---- data: online first, the stored copy without signal ---------------------------------------
  function showNet(text) { document.getElementById("net-state").textContent = text; }
  function stamp(d) { return d ? String(d.generated_at).replace("T", " ").slice(0, 16) : ""; }

  function load() {
    return Store.loadSnapshot().then(function (stored) {
      data = stored || null;
      if (data) {
        render();
        root.dataset.ready = "yes";  // usable now from the stored copy; fresh data follows when online
      }
      if (!navigator.onLine) {
        showNet(data ? "离线：显示 " + stamp(data) + " 的数据" : "离线：本机还没有今日任务的数据，请联网后打开一次。");
        return;
      }
      return fetch(root.dataset.dataUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (r) {
          if (r.status === 401 || r.redirected) { throw new Error("登录已过期，请重新登录后再打开今日任务。"); }
          if (!r.ok) { throw new Error("服务器暂时无法提供数据（" + r.status + "）。"); }
          return r.json();
        })
        .then(function (fresh) { data = fresh; return Store.saveSnapshot(fresh); })
        .then(function () { showNet("在线：数据更新于 " + stamp(data)); renderIfIdle(); })
        .catch(function (err) {
          showNet((err && err.message && err.message.indexOf("登录") >= 0) ? err.message
            : (data ? "无法连接服务器：显示 " + stamp(data) + " 的数据" : "无法连接服务器，本机也没有保存的数据。"));
        });
    });
  }

  // ---- views ----------------------------------------------------------------------------------
  function render() {
    var hash = location.hash.replace(/^#/, "");
    var parts = hash.split("-");
    document.querySelectorAll(".field-tabs a").forEach(function (a) {
      var tab = a.dataset.tab;
      a.classList.toggle("active", (tab === "tasks" && !hash) || hash === tab);
    });
    view.textContent = "";
    refreshCount();
    if (!data && hash !== "queue") { view.appendChild(el("p", {"class": "hint", text: "暂无数据。"})); return; }
    if (parts[0] === "unit") { return unitView(parseInt(parts[1], 10)); }
    if (parts[0] === "inspect") { return inspectView(parseInt(parts[1], 10), null); }
    if (parts[0] === "edit") { return Store.get(hash.slice(5)).then(editView); }
    if (parts[0] === "reinspect") { return reinspectView(parseInt(parts[1], 10)); }
    if (hash === "nearby") { return nearbyView(); }
    if (hash === "queue") { return queueView(); }
    return tasksView();
  }

  // Background work (fresh data, a finished sync) redraws only what the officer is not typing into.
  function renderIfIdle() {
    if (view.querySelector("form") || (location.hash === "#nearby" && view.querySelector(".nearby li"))) {
      return refreshCount();
    }
    return render();
  }

  function unitLink(u, extra) {
    return el("a", {href: "#unit-" + u.id, "class": "unit-link"}, [el("strong", {text: u.name}), extra ? el("span", {"class": "hint", text: extra}) : null]);
  }

  function tasksView() {
    var search = el("input", {type: "search", id: "f-unit-search", placeholder: "输入单位名称或地址查找", "aria-label": "查找单位"});
    var found = el("ul", {"class": "field-list"});
    search.addEventListener("input", function () {
      found.textContent = "";
      var q = search.value.trim();
      if (!q) { return; }
      data.units.filter(function (u) { return u.name.indexOf(q) >= 0 || (u.address || "").indexOf(q) >= 0; })
        .slice(0, 20).forEach(function (u) { found.appendChild(el("li", {}, [unitLink(u, u.address)])); });
    });
    view.appendChild(el("section", {"class": "card"}, [el("h2", {text: "查找单位"}), search, found]));
    var list = el("ul", {"class": "field-list worklist"});
    var shown = showAll ? data.worklist : data.worklist.slice(0, FIRST_ITEMS);  // the most urgent first
    shown.forEach(function (i) {
      var u = i.unit_id ? unitById(i.unit_id) : null;
      list.appendChild(el("li", {"class": i.late ? "late" : ""}, [
        u ? unitLink(u) : el("strong", {text: i.unit}),
        el("span", {"class": "tag", text: i.label}),
        el("span", {text: (i.late ? "已逾期 " + (-i.days) + " 个工作日" : "期限 " + i.due_on + "（剩 " + i.days + " 个工作日）")}),
        el("span", {"class": "hint", text: i.subject})]));
    });
    if (!data.worklist.length) { list.appendChild(el("li", {"class": "hint", text: "今天没有到期或逾期的事项。"})); }
    if (shown.length < data.worklist.length) {
      list.appendChild(el("li", {}, [el("button", {type: "button", text: "显示全部 " + data.worklist.length + " 条", on: {click: function () {
        showAll = true; render(); }}})]));
    }
    view.appendChild(el("section", {"class": "card"}, [el("h2", {text: "待办（" + data.worklist.length + "）"}), list]));
  }

  function unitView(id) {
    var u = unitById(id);
    if (!u) { view.appendChild(el("p", {"class": "errorlist", text: "本机数据中没有这个单位。"})); return; }
    var facts = el("dl", {"class": "fields"}, [
      el("dt", {text: "地址"}), el("dd", {text: u.address || "—"}),
      el("dt", {text: "场所类别"}), el("dd", {text: label(choices("site_category"), u.category) + (u.key ? "（重点单位）" : "")}),
      el("dt", {text: "镇街"}), el("dd", {text: u.street}),
      el("dt", {text: "上次检查"}), el("dd", {text: u.last_inspection || "无记录"})]);
    view.appendChild(el("section", {"class": "card unit-card"}, [el("h2", {text: u.name}), facts,
      el("p", {"class": "buttons"}, [el("a", {"class": "button primary", href: "#inspect-" + u.id, text: "新增检查"})])]));
    var list = el("ul", {"class": "field-list hazards"});
    u.hazards.forEach(function (h) {
      list.appendChild(el("li", {}, [
        el("strong", {text: label(choices("hazard_category"), h.category) + (h.is_major ? "（重大）" : "")}),
        el("span", {text: h.description || ""}),
        el("span", {"class": "hint", text: "状态：" + label(choices("hazard_status"), h.status) + (h.deadline ? "，期限 " + h.deadline : "") + "，第 " + h.version + " 版"}),
        h.can_reinspect ? el("a", {"class": "button", href: "#reinspect-" + h.id, text: "复查"}) : null]));
    });
    if (!u.hazards.length) { list.appendChild(el("li", {"class": "hint", text: "没有未销案的隐患。"})); }
    view.appendChild(el("section", {"class": "card"}, [el("h2", {text: "未销案隐患（" + u.hazards.length + "）"}), list]));
  }

  // ---- photos: resized on the phone before they are stored ----------------------------------------
  function shrink(file) {
    return self.BrigadePhoto.shrink(file, MAX_PX).then(function (blob) {
      if (blob.size > MAX_BYTES) {
        throw new Error("照片压缩后仍有 " + (blob.size / 1048576).toFixed(1) + " MB，超过 " + (MAX_BYTES / 1048576).toFixed(0) + " MB 的上限。");
      }
      return {client_id: Store.uuid(), name: file.name.replace(/\.[^.]*$/, "") + ".jpg", blob: blob};
    });
  }

  function photoInput(holder, photos, name) {
    var input = el("input", {type: "file", accept: "image/*", capture: "environment", "class": "photo-input", name: name, id: "f-" + name});
    var thumbs = el("div", {"class": "photos"});
    var problem = el("p", {"class": "field-error"});
    function draw() {
      thumbs.textContent = "";
      photos.forEach(function (p, i) {
        var img = el("img", {"class": "photo", alt: "现场照片 " + (i + 1)});
        img.src = URL.createObjectURL(p.blob);
        thumbs.appendChild(el("figure", {}, [img, el("button", {type: "button", "class": "small", text: "移除", on: {click: function () {
          photos.splice(i, 1); draw(); }}})]));
      });
    }
    input.addEventListener("change", function () {
      problem.textContent = "";
      Promise.all(Array.prototype.map.call(input.files, shrink)).then(function (shrunk) {
        shrunk.forEach(function (p) { photos.push(p); });
        input.value = "";
        draw();
      }, function (err) { problem.textContent = err.message; input.value = ""; });
    });
    draw();
    holder.appendChild(field("现场照片", input, "可直接拍照；照片在手机上压缩后保存"));
    holder.appendChild(problem);
    holder.appendChild(thumbs);
  }

  // ---- an inspection and its hazards --------------------------------------------------------------
  function hazardBlock(container, hazard, index) {
    var box = el("fieldset", {"class": "hazard-block"}, [el("legend", {text: "隐患 " + (index + 1)})]);
    var cat = select("hazard-category-" + index, choices("hazard_category"), hazard.category, "请选择");
    var desc = el("input", {type: "text", id: "f-hazard-description-" + index, maxlength: "300", value: hazard.description || ""});
    var major = el("input", {type: "checkbox", id: "f-hazard-major-" + index, checked: hazard.is_major ? "checked" : null});
    cat.addEventListener("change", function () { hazard.category = cat.value; });
    desc.addEventListener("input", function () { hazard.description = desc.value; });
    major.addEventListener("change", function () { hazard.is_major = major.checked; });
    box.appendChild(field("隐患类别", cat));
    box.appendChild(field("隐患描述", desc));
    box.appendChild(el("div", {"class": "field check"}, [major, el("label", {"for": major.id, text: "重大火灾隐患"})]));
    photoInput(box, hazard.photos, "hazard-photo-" + index);
    box.appendChild(el("button", {type: "button", "class": "small", text: "删除此隐患", on: {click: function () {
      container.remove(hazard); }}}));
    return box;
  }

  function inspectView(unitId, entry) {
    var u = unitById(unitId);
    if (!u) { view.appendChild(el("p", {"class": "errorlist", text: "本机数据中没有这个单位。"})); return; }
    var draft = entry || {type: "inspection", unit_id: u.id, unit_name: u.name, photos: [], hazards: [],
      inspection: {client_id: Store.uuid(), unit: u.id, inspected_on: today(), kind: "", campaign: "", note: ""}};
    var ins = draft.inspection;
    var form = el("form", {"class": "record-form card", novalidate: "novalidate"});
    form.appendChild(el("h2", {text: (entry ? "修改待同步的检查：" : "新增检查：") + u.name}));
    if (entry && entry.message) { form.appendChild(el("p", {"class": "errorlist", text: "服务器退回：" + entry.message})); }
    var date = el("input", {type: "date", id: "f-inspected_on", value: ins.inspected_on});
    var kind = select("kind", choices("inspection_kind"), ins.kind, "请选择");
    var campaign = select("campaign", choices("campaigns").map(function (c) { return [c[0], c[1]]; }), ins.campaign, "无");
    var note = el("textarea", {id: "f-note"}, [ins.note || ""]);
    [["检查日期", date], ["检查类型", kind], ["专项行动", campaign], ["备注", note]].forEach(function (p) { form.appendChild(field(p[0], p[1])); });
    photoInput(form, draft.photos, "inspection-photo");
    var hazards = el("div", {"class": "hazard-list"});
    var container = {remove: function (h) { draft.hazards.splice(draft.hazards.indexOf(h), 1); drawHazards(); }};
    function drawHazards() {
      hazards.textContent = "";
      draft.hazards.forEach(function (h, i) { hazards.appendChild(hazardBlock(container, h, i)); });
    }
    drawHazards();
    form.appendChild(el("h2", {text: "发现的隐患"}));
    form.appendChild(hazards);
    form.appendChild(el("button", {type: "button", id: "add-hazard", text: "添加隐患", on: {click: function () {
      draft.hazards.push({client_id: Store.uuid(), category: "", description: "", is_major: false, photos: []});
      drawHazards();
    }}}));
    var problem = el("p", {"class": "errorlist", hidden: "hidden", role: "alert"});
    form.appendChild(problem);
    form.appendChild(el("div", {"class": "buttons"}, [el("button", {type: "submit", "class": "primary", text: entry ? "保存修改" : "保存（待同步）"}),
      el("a", {href: "#unit-" + u.id, text: "取消"})]));
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      ins.inspected_on = date.value; ins.kind = kind.value; ins.campaign = campaign.value; ins.note = note.value;
      var errors = [];
      if (!ins.inspected_on) { errors.push("请填写检查日期。"); }
      if (!ins.kind) { errors.push("请选择检查类型。"); }
      draft.hazards.forEach(function (h, i) { if (!h.category) { errors.push("隐患 " + (i + 1) + "：请选择隐患类别。"); } });
      if (errors.length) { problem.hidden = false; problem.textContent = errors.join(" "); return; }
      draft.message = "";
      var saving = entry ? Store.put(Object.assign(draft, {state: "queued"})) : Store.add(draft);
      saving.then(function () { location.hash = "queue"; trySync(); });
    });
    view.appendChild(form);
  }

  // ---- a re-inspection of an open hazard ----------------------------------------------------------
  function reinspectView(hazardId, entry) {
    var hit = hazardById(hazardId);
    if (!hit) { view.appendChild(el("p", {"class": "errorlist", text: "本机数据中没有这条隐患。"})); return; }
    var h = hit.hazard;
    var draft = entry || {type: "reinspect", unit_id: hit.unit.id, unit_name: hit.unit.name, hazard_id: h.id, photos: [],
      seen: {status: h.status, deadline: h.deadline, version: h.version, description: h.description, category: h.category},
      step: {date: today(), passed: true, note: "", expected_version: h.version}};
    var form = el("form", {"class": "record-form card", novalidate: "novalidate"});
    form.appendChild(el("h2", {text: "复查：" + hit.unit.name + " · " + label(choices("hazard_category"), h.category)}));
    var date = el("input", {type: "date", id: "f-date", value: draft.step.date});
    var passed = select("passed", [["1", "合格"], ["0", "不合格"]], draft.step.passed ? "1" : "0");
    var note = el("input", {type: "text", id: "f-note", maxlength: "300", value: draft.step.note});
    [["复查日期", date], ["复查结果", passed], ["说明", note]].forEach(function (p) { form.appendChild(field(p[0], p[1])); });
    photoInput(form, draft.photos, "reinspect-photo");
    form.appendChild(el("div", {"class": "buttons"}, [el("button", {type: "submit", "class": "primary", text: "保存（待同步）"}),
      el("a", {href: "#unit-" + hit.unit.id, text: "取消"})]));
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      draft.step.date = date.value; draft.step.passed = passed.value === "1"; draft.step.note = note.value;
      draft.message = "";
      (entry ? Store.put(Object.assign(draft, {state: "queued"})) : Store.add(draft)).then(function () { location.hash = "queue"; trySync(); });
    });
    view.appendChild(form);
  }

  function editView(entry) {
    if (!entry) { view.appendChild(el("p", {"class": "hint", text: "这条记录已不在待同步列表中。"})); return; }
    if (entry.type === "inspection") { return inspectView(entry.unit_id, entry); }
    return reinspectView(entry.hazard_id, entry);
  }

  // ---- nearby units (from stored coordinates; no map service) -------------------------------------
  function distanceKm(lat1, lon1, lat2, lon2) {
    var r = Math.PI / 180;
    var a = Math.pow(Math.sin((lat2 - lat1) * r / 2), 2) +
      Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.pow(Math.sin((lon2 - lon1) * r / 2), 2);
    return 12742 * Math.asin(Math.sqrt(a));
  }
  function nearbyView() {
    var list = el("ul", {"class": "field-list nearby"});
    var status = el("p", {"class": "hint", role: "status", text: "按当前位置与单位登记坐标的直线距离排序。"});
    function locate() {
      if (!navigator.geolocation) { status.textContent = "此浏览器不能定位。"; return; }
      status.textContent = "正在定位…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        var lat = pos.coords.latitude, lon = pos.coords.longitude;
        var ranked = data.units.filter(function (u) { return u.lat !== null && u.lon !== null; })
          .map(function (u) { return {u: u, km: distanceKm(lat, lon, u.lat, u.lon)}; })
          .sort(function (a, b) { return a.km - b.km; }).slice(0, 20);
        list.textContent = "";
        ranked.forEach(function (r) {
          var d = r.km < 1 ? Math.round(r.km * 1000) + " 米" : r.km.toFixed(1) + " 公里";
          list.appendChild(el("li", {}, [unitLink(r.u, d + (r.u.address ? " · " + r.u.address : "")),
            el("a", {"class": "button", href: "#inspect-" + r.u.id, text: "检查"})]));
        });
        status.textContent = "定位精度约 " + Math.round(pos.coords.accuracy) + " 米，最近的 " + ranked.length + " 个单位：";
      }, function (err) {
        status.textContent = err.code === 1 ? "未获得定位权限：请在浏览器设置中允许本站使用位置信息。" : "暂时无法定位，请稍后再试。";
      }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
    }
    view.appendChild(el("section", {"class": "card"}, [el("h2", {text: "附近单位"}),
      el("button", {type: "button", "class": "primary", id: "locate", text: "定位并查找", on: {click: locate}}), status, list]));
  }

  // ---- the queue ------------------------------------------------------------------------------
  function describe(entry) {
    if (entry.type === "inspection") {
      var n = entry.photos.length + entry.hazards.reduce(function (s, h) { return s + h.photos.length; }, 0);
      return "检查 " + entry.inspection.inspected_on + "，隐患 " + entry.hazards.length + " 条，照片 " + n + " 张";
    }
    return "复查 " + entry.step.date + "（" + (entry.step.passed ? "合格" : "不合格") + "）";
  }

  function conflictTable(entry) {
    var mine = entry.seen, theirs = entry.conflict || {};
    function shown(v) { return (v === null || v === undefined || v === "") ? "—" : String(v); }
    function row(name, a, b) { return el("tr", {"class": shown(a) !== shown(b) ? "changed" : ""}, [el("th", {text: name}), el("td", {text: shown(a)}), el("td", {text: shown(b)})]); }
    var st = choices("hazard_status");
    return el("table", {"class": "grid conflict"}, [
      el("thead", {}, [el("tr", {}, [el("th", {text: ""}), el("th", {text: "您记录时（手机上）"}), el("th", {text: "现在（服务器上）"})])]),
      el("tbody", {}, [row("版本", mine.version, theirs.version), row("状态", label(st, mine.status), label(st, theirs.status)),
        row("整改期限", mine.deadline, theirs.deadline), row("整改日期", "", theirs.rectified_on),
        row("复查日期", "（您的复查）" + entry.step.date, theirs.reinspected_on), row("隐患描述", mine.description, theirs.description)])]);
  }

  function queueView() {
    Store.entries().then(function (entries) {
      var list = el("ul", {"class": "field-list queue"});
      entries.forEach(function (e) {
        var state = {queued: "待同步", refused: "被服务器退回", conflict: "有冲突，待您决定"}[e.state] || e.state;
        var item = el("li", {"class": "queue-item " + e.state, "data-entry": e.id}, [
          el("strong", {text: e.unit_name}), el("span", {text: describe(e)}), el("span", {"class": "tag", text: state})]);
        if (e.message) { item.appendChild(el("p", {"class": "field-error server-message", text: e.message})); }
        if (e.state === "conflict") {
          item.appendChild(el("p", {text: "您离线期间，办公室改动了这条隐患。请核对两个版本："}));
          item.appendChild(conflictTable(e));
          item.appendChild(el("div", {"class": "buttons"}, [
            el("button", {type: "button", "class": "primary resubmit", text: "按现在的版本提交我的复查", on: {click: function () {
              e.step.expected_version = e.conflict.version;
              e.seen = {status: e.conflict.status, deadline: e.conflict.deadline, version: e.conflict.version, description: e.conflict.description};
              e.state = "queued"; e.message = ""; e.conflict = null;
              Store.put(e).then(function () { render(); trySync(); });
            }}}), discardButton(e)]));
        } else {
          item.appendChild(el("div", {"class": "buttons"}, [el("a", {"class": "button", href: "#edit-" + e.id, text: "修改"}), discardButton(e)]));
        }
        list.appendChild(item);
      });
      if (!entries.length) { list.appendChild(el("li", {"class": "hint", text: "没有待同步的记录。"})); }
      view.appendChild(el("section", {"class": "card"}, [el("h2", {text: "待同步（" + entries.length + "）"}), list]));
    });
  }

  function discardButton(e) {
    return el("button", {type: "button", "class": "discard", text: "删除这条记录", on: {click: function () {
      if (confirm("确定删除这条尚未同步的记录（" + e.unit_name + "，" + describe(e) + "）？删除后无法恢复。")) {
        Store.remove(e.id).then(render);
      }
    }}});
  }

  function refreshCount() {
    return Store.entries().then(function (entries) {
      var pill = document.getElementById("queue-count");
      pill.textContent = "待同步 " + entries.length + " 条";
      pill.classList.toggle("has-items", entries.length > 0);
      return entries;
    });
  }

  // ---- sending the queue ----------------------------------------------------------------------
  function ServerRefused(message, status, body) { this.message = message; this.status = status; this.body = body; }
  function Offline(message) { this.message = message; }

  function messageOf(body) {
    if (!body || typeof body !== "object") { return "服务器拒绝了这条记录。"; }
    var parts = [];
    Object.keys(body).forEach(function (k) {
      var v = body[k];
      var text = Array.isArray(v) ? v.join("；") : (typeof v === "object" ? messageOf(v) : String(v));
      var name = FIELD_NAMES.hasOwnProperty(k) ? FIELD_NAMES[k] : k;
      parts.push(name ? name + "：" + text : text);
    });
    return parts.join(" ");
  }

  function send(method, path, body) {
    var headers = {"X-CSRFToken": cookie("csrftoken"), Accept: "application/json"};
    var payload = body;
    if (!(body instanceof FormData)) { headers["Content-Type"] = "application/json"; payload = JSON.stringify(body); }
    return fetch(API + path, {method: method, credentials: "same-origin", headers: headers, body: payload})
      .catch(function () { throw new Offline("无法连接服务器，记录仍保存在手机上，稍后会再次同步。"); })
      .then(function (r) {
        return r.json().catch(function () { return null; }).then(function (json) {
          if (r.ok) { return json; }
          if (r.status === 401 || r.status === 403) {
            throw new Offline((json && json.detail) || "登录已过期，请重新登录后再同步。");
          }
          if (r.status >= 500 || !json) { throw new Offline("服务器暂时出错（" + r.status + "），稍后会再次同步。"); }
          throw new ServerRefused(messageOf(json), r.status, json);
        });
      });
  }

  function sendPhotos(entry, photos, target, id) {
    return photos.reduce(function (chain, p) {
      return chain.then(function () {
        if (entry.server.photos[p.client_id]) { return; }
        var fd = new FormData();
        fd.append("client_id", p.client_id);
        fd.append(target, String(id));
        fd.append("image", p.blob, p.name);
        return send("POST", "photos/", fd).then(function () { entry.server.photos[p.client_id] = true; return Store.put(entry); });
      });
    }, Promise.resolve());
  }

  // An inspection, its hazards and all their photos go in one request, stored all or nothing; a resend
  // (the answer was lost) finds every part under its client id and creates nothing twice.
  function sendInspection(entry) {
    var ins = entry.inspection;
    var fd = new FormData();
    var ids = function (photos) { return photos.map(function (p) { return {client_id: p.client_id}; }); };
    fd.append("entry", JSON.stringify({
      inspection: {client_id: ins.client_id, unit: ins.unit, inspected_on: ins.inspected_on, kind: ins.kind,
                   campaign: ins.campaign || null, note: ins.note, is_joint: false},
      photos: ids(entry.photos),
      hazards: entry.hazards.map(function (h) {
        return {client_id: h.client_id, category: h.category, description: h.description, is_major: !!h.is_major,
                found_on: ins.inspected_on, photos: ids(h.photos)};
      })
    }));
    entry.photos.concat.apply(entry.photos, entry.hazards.map(function (h) { return h.photos; })).forEach(function (p) {
      fd.append("photo-" + p.client_id, p.blob, p.name);
    });
    return send("POST", "field/entries/", fd);
  }

  function sendReinspection(entry) {
    var s = entry.step;
    var done = entry.server.step ? Promise.resolve() : send("POST", "hazards/" + entry.hazard_id + "/transition/", {
      action: "reinspect", date: s.date, passed: s.passed, note: s.note, expected_version: s.expected_version,
      client_id: entry.id
    }).then(function () { entry.server.step = true; return Store.put(entry); });
    return done.then(function () { return sendPhotos(entry, entry.photos, "hazard", entry.hazard_id); });
  }

  function markConflict(entry, err) {
    return fetch(API + "hazards/" + entry.hazard_id + "/", {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { return r.ok ? r.json() : {}; }, function () { return {}; })
      .then(function (theirs) {
        entry.state = "conflict"; entry.message = err.message; entry.conflict = theirs;
        return Store.put(entry);
      });
  }

  var running = null, rerun = false;
  function syncAll() {
    // A second trigger (the online event, a tap) while a sync runs makes it go round once more.
    if (running) { rerun = true; return running; }
    root.dataset.syncing = "yes";
    running = syncOnce().then(function () {
      running = null;
      delete root.dataset.syncing;
      if (rerun) { rerun = false; return syncAll(); }
    });
    return running;
  }

  function syncOnce() {
    syncing = true;
    var button = document.getElementById("sync-now");
    button.textContent = "同步中…";
    showNet("正在同步…");
    var sent = 0, stopped = null;
    return Store.entries().then(function (entries) {
      return entries.reduce(function (chain, entry) {
        return chain.then(function () {
          if (stopped || entry.state !== "queued") { return; }
          var job = entry.type === "inspection" ? sendInspection(entry) : sendReinspection(entry);
          return job.then(function () { sent += 1; return Store.remove(entry.id); }, function (err) {
            if (err instanceof Offline) { stopped = err.message; return; }
            if (err instanceof ServerRefused && err.status === 409 && entry.type === "reinspect") { return markConflict(entry, err); }
            if (err instanceof ServerRefused) { entry.state = "refused"; entry.message = err.message; return Store.put(entry); }
            stopped = String(err && err.message || err);
          });
        });
      }, Promise.resolve());
    }).then(function () { return Store.entries(); }).then(function (left) {
      var waiting = left.filter(function (e) { return e.state !== "queued"; }).length;
      showNet(stopped ? stopped : "同步完成：已发送 " + sent + " 条" +
        (waiting ? "，" + waiting + " 条需要您处理（见“待同步”）" : ""));
      if (!rerun) { root.dataset.lastSync = stopped ? "stopped" : "done"; }
    }).finally(function () {
      syncing = false; button.textContent = "立即同步";
      renderIfIdle();
      if (sent && !stopped) { load(); }  // worklist, open hazards and versions as the server now has them
    });
  }

  function trySync() { if (navigator.onLine) { return syncAll(); } return refreshCount(); }

  document.getElementById("sync-now").addEventListener("click", syncAll);
  window.addEventListener("hashchange", render);
  window.addEventListener("online", function () { showNet("已联网"); syncAll(); });
  window.addEventListener("offline", function () { showNet("离线：记录会先保存在手机上"); });
  load().then(function () {
    if (!data) { render(); }
    root.dataset.ready = "yes";
    return Store.entries();
  }).then(function (waiting) { if (waiting.some(function (e) { return e.state === "queued"; })) { trySync(); } });
  self.brigadeField = {sync: syncAll, store: Store};
})();
