/* esskb: abbreviations take keyboard focus, so that Material shows their expansion
   (content.tooltips) on focus as it does on hover. */
document$.subscribe(function () {
  document.querySelectorAll(".md-content abbr[title]").forEach(function (abbr) {
    abbr.tabIndex = 0
  })
})

/* esskb: search finds words with or without their accents (overrides/ wraps lunr's French
   stemmer), and Material highlights, on the page a result opens (?h=...), the words as the
   reader typed them. This marks the other spellings too: « economie » marks « économie ». */
document$.subscribe(function () {
  var query = new URL(location.href).searchParams.get("h")
  var content = document.querySelector(".md-content")
  if (!query || !content) return
  var fold = function (text) { return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase() }
  var typed = query.toLowerCase().split(/[\s*+\-:~^]+/).filter(function (term) { return term.length > 1 })
  var variants = { a: "aàâä", c: "cç", e: "eéèêë", i: "iîï", o: "oôö", u: "uùûü", y: "yÿ" }
  var terms = typed.map(function (term) {
    return fold(term).replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/[aceiouy]/g, function (c) { return "[" + variants[c] + "]" })
  })
  if (!terms.length) return
  var pattern = new RegExp(terms.join("|"), "gi")
  var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT)
  var nodes = []
  for (var node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest("mark, script, style, .md-search") && pattern.test(node.textContent)) nodes.push(node)
    pattern.lastIndex = 0
  }
  nodes.forEach(function (node) {
    var text = node.textContent, last = 0, parts = document.createDocumentFragment(), found = false
    text.replace(pattern, function (match, at) {
      if (typed.indexOf(match.toLowerCase()) >= 0) return match  // as typed: Material marks it
      parts.append(text.slice(last, at))
      var mark = document.createElement("mark")
      mark.setAttribute("data-md-highlight", "")
      mark.textContent = match
      parts.append(mark)
      last = at + match.length
      found = true
      return match
    })
    if (!found) return
    parts.append(text.slice(last))
    node.replaceWith(parts)
  })
})
