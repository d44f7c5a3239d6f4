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

// The navbar's links to pages of this app (app.py navbar).
var NAV_LINKS = "header .navbar a.nav-link[href^='/']";

window.dash_clientside = Object.assign({}, window.dash_clientside, {
  dashboard: {
    // ?period=YYYY-MM chooses the month when it is one of the months loaded.
    periodFromUrl: function (search, options, current) {
      var wanted = new URLSearchParams(search || "").get("period");
      var known = (options || []).some(function (o) { return o.value === wanted; });
      // the same month again would re-run every chart's callback for nothing
      return known && wanted !== current ? wanted : window.dash_clientside.no_update;
    },
    // A page drawn by its layout (dashboard/ui/prefill.py) for `drawn` asks for a redrawing when
    // it opens while the picker holds another month (a bare address opened in the app).
    // "latest" (each page its own latest month) is what a page without ?period= is drawn for.
    followPeriod: function (drawn, period) {
      var other = period && period !== "latest" && period !== drawn;
      return other ? period : window.dash_clientside.no_update;
    },
    // Keep the address and the navbar's links in step with the picker, without navigating
    // and without a Dash update (each one costs every component on the page a check): the
    // links carry ?period= so a page opened from them, here or in a new tab, is drawn for it.
    // "latest" is an address without ?period=.
    periodToUrl: function (period, pathname) {
      if (!period) { return window.dash_clientside.no_update; }
      var setPeriod = function (params) {
        if (period === "latest") { params.delete("period"); } else { params.set("period", period); }
      };
      var url = new URL(window.location.href);
      var before = url.search;
      setPeriod(url.searchParams);
      if (url.search !== before) {
        window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
      }
      document.querySelectorAll(NAV_LINKS).forEach(function (link) {
        var target = new URL(link.href, window.location.href);
        setPeriod(target.searchParams);
        link.setAttribute("href", target.pathname + target.search);
      });
      return window.dash_clientside.no_update;
    },
  },
});

// A chart's "Show as table": the server sends the table as escaped HTML (dashboard/ui/tables.py
// table_html); the browser parses it far faster than React renders hundreds of components.
window.dash_clientside.dashboard.fillTable = function (tableHtml, wrapId) {
  var wrap = document.getElementById(wrapId);
  if (wrap) { wrap.innerHTML = tableHtml || ""; }
  return wrap ? wrap.className : window.dash_clientside.no_update;
};

// Open an address within the app as a dcc.Link does (Dash Pages reads the new location). An
// address without ?period= keeps the current one, so the next page is drawn for the chosen month.
window.dashboard.openInApp = function (href) {
  window.history.pushState({}, "", href.indexOf("?") < 0 ? href + window.location.search : href);
  window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
  window.scrollTo(0, 0);
};

// Navigate within the app from a callback (see ui.blocks.register_navigation).
window.dash_clientside.dashboard.navigateTo = function (path) {
  if (path) { window.dashboard.openInApp(path); }
  return window.dash_clientside.no_update;
};

// Server-made HTML (ui.blocks.html_slot): links marked data-app-link navigate within the app
// as dcc.Link does, and a table marked data-sortable sorts by the heading button pressed.
(function () {
  function sortValue(row, key) {
    var cell = row.querySelector("[data-" + key + "]");
    var text = cell ? cell.getAttribute("data-" + key) : "";
    var number = parseFloat(text);
    return text === "" ? null : (isNaN(number) ? text.toLowerCase() : number);
  }

  function sortTable(button) {
    var table = button.closest("table");
    var heading = button.closest("th");
    var key = button.getAttribute("data-sort");
    var now = heading.getAttribute("aria-sort");
    var descending = now === "none" ? key !== "name" : now === "ascending";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = sortValue(a, key), y = sortValue(b, key);
      if (x === null || y === null) { return x === null ? (y === null ? 0 : 1) : -1; }
      var order = x < y ? -1 : (x > y ? 1 : 0);
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    table.querySelectorAll("thead th").forEach(function (th) {
      var mine = th === heading;
      th.setAttribute("aria-sort", mine ? (descending ? "descending" : "ascending") : "none");
      var arrow = th.querySelector("button span");
      if (arrow) { arrow.textContent = mine ? (descending ? "▼" : "▲") : ""; }
    });
  }

  // The link matching `selector` that a plain left click (no modifier: those open new tabs)
  // landed on, or null.
  function plainClickOn(event, selector) {
    var link = event.target.closest && event.target.closest(selector);
    var plain = event.button === 0 && !(event.metaKey || event.ctrlKey || event.shiftKey || event.altKey);
    return link && plain ? link : null;
  }

  // A navbar link opens its address as the browser shows it, ?period= included (periodToUrl
  // keeps it up to date); the link component itself would open the bare path, so it is stopped.
  document.addEventListener("click", function (event) {
    var link = plainClickOn(event, NAV_LINKS);
    if (!link) { return; }
    event.preventDefault();
    event.stopPropagation();
    window.dashboard.openInApp(link.getAttribute("href"));
  }, true);

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("table[data-sortable] th button[data-sort]");
    if (button) { sortTable(button); return; }
    var link = plainClickOn(event, "a[data-app-link]");
    if (!link) { return; }
    event.preventDefault();
    window.dashboard.openInApp(link.getAttribute("href"));
  });
})();

// Plotly.Plots.resize waits 100 ms and then lays the whole chart out again, even when its box
// has not changed. dcc.Graph calls it after every first drawing and whenever a ResizeObserver
// reports (which it does once on every mount), so each chart is marked busy and redrawn for
// nothing. Skip the call when the chart's box is the size it was drawn at (Plotly's own test:
// within 1 px); a real change of size (a window resized, a tablet turned) still redraws.
document.addEventListener("DOMContentLoaded", function () {
  var plots = window.Plotly && window.Plotly.Plots;
  if (!plots || plots.__dashboardResize) { return; }
  var resize = plots.resize;
  plots.resize = function (gd) {
    var element = typeof gd === "string" ? document.getElementById(gd) : gd;
    var layout = element && element._fullLayout;
    if (layout && layout.autosize && element.offsetParent !== null) {
      var style = window.getComputedStyle(element);
      if (Math.abs(parseFloat(style.width) - layout.width) <= 1 &&
          Math.abs(parseFloat(style.height) - layout.height) <= 1) {
        return Promise.resolve(element);
      }
    }
    return resize.apply(this, arguments);
  };
  plots.__dashboardResize = true;
});

// A section filled below a long list (the data history's details): scroll it into view and
// move the focus there, so the reader sees what they opened and a keyboard user is there too.
window.dash_clientside.dashboard.showSection = function (children, id) {
  const section = document.getElementById(id);
  if (section && children && (!Array.isArray(children) || children.length)) {
    section.scrollIntoView({block: "start"});
    section.focus({preventScroll: true});
  }
  return window.dash_clientside.no_update;
};

// The navbar's "Menu" button below 992 px (app.py): open or close the links; a page opened
// closes them.
window.dash_clientside.dashboard.toggleMenu = function (clicks, path, open) {
  const fired = window.dash_clientside.callback_context.triggered || [];
  const pressed = fired.some((t) => t.prop_id.startsWith("nav-toggle."));
  const next = pressed ? !open : false;
  return [next, next ? "true" : "false"];
};
