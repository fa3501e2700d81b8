// The district map: our own GeoJSON layers on a plain background, no tile server.
(function () {
  "use strict";
  var layers = JSON.parse(document.getElementById("map-layers").textContent);
  var map = L.map("map", {zoomControl: true, attributionControl: false});
  // Areas below lines below points, whatever order the layers arrive in.
  [["polygon", 410], ["line", 420], ["point", 430]].forEach(function (pane) {
    map.createPane(pane[0]).style.zIndex = pane[1];
  });
  window.brigadeMap = map;  // for the end-to-end tests and the browser console
  map.setView([35.0, 118.4], 11);
  var drawn = {};

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function popup(feature) {
    var p = feature.properties || {};
    var html = "<strong>" + escapeHtml(p.title) + "</strong>";
    if (p.url) { html += "<br><a href=\"" + encodeURI(p.url) + "\">查看记录</a>"; }
    return html;
  }

  function style(layer) {
    return function (feature) {
      if (layer.geometry === "polygon") { return {color: layer.color, weight: 2, fillOpacity: 0.08}; }
      if (layer.geometry === "line") { return {color: layer.color, weight: 1, opacity: 0.7}; }
      return {};
    };
  }

  function pointStyle(layer, feature) {
    var p = feature.properties || {};
    var radius = layer.slug === "stations" ? 8 : (p.key ? 5 : 3);
    var fill = p.color || layer.color;  // a feature may carry its own colour (risk grade)
    var color = p.damaged ? "#555" : fill;
    return {radius: radius, color: color, weight: p.key ? 3 : 1, fillColor: fill, fillOpacity: 0.8};
  }

  function load(layer) {
    return fetch(layer.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      var group = L.geoJSON(data, {
        pane: layer.geometry,
        style: style(layer),
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, L.extend({pane: "point"}, pointStyle(layer, feature)));
        },
        onEachFeature: function (feature, item) {
          item.bindPopup(popup(feature));
          if (layer.slug === "streets") {
            item.bindTooltip(escapeHtml(feature.properties.title), {permanent: true, direction: "center", className: "area-label"});
          }
        }
      });
      drawn[layer.slug] = group;
      var count = document.querySelector("[data-count='" + layer.slug + "']");
      if (count) { count.textContent = (data.features || []).length; }
      if (isOn(layer.slug)) { group.addTo(map); }
      document.body.dataset["layer" + layer.slug.replace(/-/g, "")] = "loaded";
    });
  }

  // Show the whole district: the bounds of every layer drawn, once all have loaded.
  function fit() {
    var bounds = L.latLngBounds([]);
    Object.keys(drawn).forEach(function (slug) {
      var b = drawn[slug].getBounds();
      if (b.isValid()) { bounds.extend(b); }
    });
    if (bounds.isValid()) { map.fitBounds(bounds, {padding: [20, 20], maxZoom: 16}); }
    document.body.dataset.mapready = "yes";
  }

  function isOn(slug) {
    var box = document.querySelector("input[data-layer='" + slug + "']");
    return box && box.checked;
  }

  document.querySelectorAll("input[data-layer]").forEach(function (box) {
    box.addEventListener("change", function () {
      var group = drawn[box.dataset.layer];
      if (!group) { return; }
      if (box.checked) { group.addTo(map); } else { map.removeLayer(group); }
    });
  });
  Promise.all(layers.map(load)).then(fit, fit);
})();
