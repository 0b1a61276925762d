/* esskb: abbreviations take keyboard focus, so that Material shows their expansion
   (content.tooltips) on focus as it does on hover. */
document$.subscribe(function () {
  document.querySelectorAll(".md-content abbr[title]").forEach(function (abbr) {
    abbr.tabIndex = 0
  })
})
