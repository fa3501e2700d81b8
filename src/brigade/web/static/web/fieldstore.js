// The phone's own store for 今日任务 (IndexedDB): the data last fetched ("snapshot") and the queue
// of records waiting to be sent. Queue entries leave only when the server has them or the officer
// deletes them; nothing here drops an entry on its own.
(function () {
  "use strict";
  var DB_NAME = "brigade-field";
  var opening = null;

  function open() {
    if (opening) { return opening; }
    opening = new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var db = request.result;
        db.createObjectStore("snapshot");
        db.createObjectStore("queue", {keyPath: "id"});
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return opening;
  }

  function run(storeName, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var result;
        var request = work(tx.objectStore(storeName));
        if (request) { request.onsuccess = function () { result = request.result; }; }
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  function uuid() {
    if (self.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  self.FieldStore = {
    uuid: uuid,
    // Kept as one JSON string: reading back thousands of units is a single string copy and a
    // JSON.parse, several times faster than IndexedDB rebuilding each object on a slow phone.
    loadSnapshot: function () {
      return run("snapshot", "readonly", function (s) { return s.get("data"); }).then(function (text) {
        return typeof text === "string" ? JSON.parse(text) : (text || null);
      });
    },
    saveSnapshot: function (data) {
      return run("snapshot", "readwrite", function (s) { return s.put(JSON.stringify(data), "data"); });
    },
    entries: function () {
      return run("queue", "readonly", function (s) { return s.getAll(); }).then(function (rows) {
        return rows.sort(function (a, b) { return a.seq - b.seq; });  // the order they were recorded
      });
    },
    get: function (id) { return run("queue", "readonly", function (s) { return s.get(id); }); },
    put: function (entry) { return run("queue", "readwrite", function (s) { return s.put(entry); }); },
    remove: function (id) { return run("queue", "readwrite", function (s) { return s.delete(id); }); },
    add: function (entry) {
      entry.id = entry.id || uuid();
      entry.seq = entry.seq || Date.now() * 1000 + Math.floor(Math.random() * 1000);
      entry.state = "queued";
      entry.server = entry.server || {hazards: {}, photos: {}};
      return this.put(entry).then(function () { return entry; });
    }
  };
})();
