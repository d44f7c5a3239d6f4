/* What the page does when the server refuses a callback (dashboard/auth.py):
   401 (signed out, or the session ended) goes to the sign-in page and back here afterwards;
   413 (the files are over the upload limit) says so on the upload page. */
(function () {
  if (!window.fetch || window.fetch.__dashboardAuth) { return; }
  var original = window.fetch;
  var patched = function (resource, init) {
    return original.apply(this, arguments).then(function (response) {
      var url = typeof resource === "string" ? resource : (resource && resource.url) || "";
      if (url.indexOf("/_dash-") === -1) { return response; }
      if (response.status === 401) {
        var here = window.location.pathname + window.location.search;
        window.location.assign("/login?next=" + encodeURIComponent(here));
      } else if (response.status === 413) {
        var box = document.getElementById("upload-too-large");
        if (box) {
          box.textContent = "These files are larger than the upload limit allows in one go. " +
            "Upload them one at a time, or ask for the limit (MAX_UPLOAD_MB) to be raised.";
        }
      }
      return response;
    });
  };
  patched.__dashboardAuth = true;
  window.fetch = patched;
})();
