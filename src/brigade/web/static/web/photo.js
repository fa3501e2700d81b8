// Site photos are shrunk on the phone before they are stored or sent: a 12-megapixel camera file
// becomes a JPEG of at most data-max-px on its longest side (a few hundred kB), so the queue and the
// upload stay small. Used by 今日任务 (field.js) and by the photo form on inspection and hazard pages.
(function () {
  "use strict";
  function shrink(file, maxPx) {
    if (!file.type || file.type.indexOf("image/") !== 0) {
      return Promise.reject(new Error("“" + file.name + "”不是图片，只能添加照片。"));
    }
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, maxPx / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.8); });
    }, function () { throw new Error("“" + file.name + "”无法作为图片读取。"); });
  }
  self.BrigadePhoto = {shrink: shrink};

  // The photo form on a record page: swap the chosen file for its shrunk copy before it is sent.
  document.querySelectorAll("form.photo-form").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    var maxPx = parseInt(form.dataset.maxPx, 10) || 1600;
    var problem = form.querySelector(".field-error");
    input.addEventListener("change", function () {
      var file = input.files[0];
      if (!file || typeof DataTransfer === "undefined") { return; }
      problem.textContent = "";
      shrink(file, maxPx).then(function (blob) {
        var files = new DataTransfer();
        files.items.add(new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", {type: "image/jpeg"}));
        input.files = files.files;
      }, function (err) { problem.textContent = err.message; input.value = ""; });
    });
  });
})();
