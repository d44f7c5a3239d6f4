/* Client-side helpers for the app shell (app.py): the period in the address, the current page
   in the navbar. No network, no state beyond the address bar. */
window.dashboard = {
  activeLinks: function (path, matches) {
    return matches.map(function (paths) {
      return paths.some(function (m) {
        return path === m || (m.length > 1 && m.endsWith("/") && path.startsWith(m));
      });
    });
  },
};

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  dashboard: {
    // ?period=YYYY-MM chooses the month when it is one of the months loaded.
    periodFromUrl: function (search, options) {
      var wanted = new URLSearchParams(search || "").get("period");
      var known = (options || []).some(function (o) { return o.value === wanted; });
      return known ? wanted : window.dash_clientside.no_update;
    },
    // Keep the address in step with the picker without navigating (no re-render).
    periodToUrl: function (period, pathname) {
      if (!period) { return window.dash_clientside.no_update; }
      var url = new URL(window.location.href);
      if (url.searchParams.get("period") !== period) {
        url.searchParams.set("period", period);
        window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
      }
      return period;
    },
  },
});
