/* dcc.Upload's file input has no label of its own (Dash 4.4 gives no prop for one): name it
   after the drop zone's text, so screen readers announce what it is for. */
(function () {
  new MutationObserver(function () {
    var zone = document.getElementById("upload-files");
    var input = zone && zone.querySelector("input[type=file]:not([aria-label])");
    if (input) { input.setAttribute("aria-label", "Choose CSV or Excel files to upload"); }
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
