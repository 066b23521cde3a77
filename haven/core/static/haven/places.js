// A region dropdown that follows its country dropdown (haven.core.places.follow_country).
// The page itself is asked again with ?country=XX and its region options are copied over, so
// the list is the one the server validates against. Without this script the form still works:
// a region of another country is refused with a plain error and the list is shown again.
(function () {
  "use strict";
  document.querySelectorAll("select[data-regions-url]").forEach(function (countrySelect) {
    var regionSelect = document.getElementById(countrySelect.getAttribute("data-regions-select"));
    if (!regionSelect || !window.fetch || !window.DOMParser) return;
    var latest = 0;
    countrySelect.addEventListener("change", function () {
      var asked = ++latest;
      var url = new URL(countrySelect.getAttribute("data-regions-url"), location.href);
      url.searchParams.set(countrySelect.name, countrySelect.value);
      regionSelect.setAttribute("aria-busy", "true");
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          if (!response.ok) throw new Error("status " + response.status);
          return response.text();
        })
        .then(function (html) {
          if (asked !== latest) return; // a later choice won
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.getElementById(regionSelect.id);
          if (!fresh || fresh.tagName !== "SELECT") return;
          regionSelect.replaceChildren.apply(
            regionSelect,
            Array.prototype.map.call(fresh.options, function (option) {
              return new Option(option.text, option.value);
            })
          );
          regionSelect.value = "";
        })
        .catch(function () {
          // The old list stays; the server still checks the region on sending.
        })
        .finally(function () {
          if (asked === latest) regionSelect.removeAttribute("aria-busy");
        });
    });
  });
})();
