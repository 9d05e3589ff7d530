/* 长辈模式 (elder mode), site-wide: larger text and touch targets of at least 44 px.
 *
 * One switch in the header of every page sets `html.yb-elder` (the styles are in
 * css/portal.css; the calculator styles itself under the same class).
 *
 * Storage: localStorage key "yb-elder" = "1" while the mode is on (absent when off).
 * Kiosk: when the address has `kiosk` (?kiosk, ?kiosk=1, #kiosk) the choice is
 * never stored and any stored choice is removed, so the next visitor starts in
 * the normal mode; the calculator's kiosk reset clears it by removing the class
 * `yb-elder` from <html> and the key "yb-elder" from localStorage.
 */
(function () {
  "use strict"
  var KEY = "yb-elder"
  var CLASS = "yb-elder"
  var root = document.documentElement
  var kiosk = /[?&#]kiosk\b/.test(location.search + location.hash)

  function stored() {
    try { return localStorage.getItem(KEY) === "1" } catch (e) { return false }
  }
  function store(on) {
    try {
      if (on && !kiosk) localStorage.setItem(KEY, "1")
      else localStorage.removeItem(KEY)
    } catch (e) { /* storage blocked: the mode lasts for this page only */ }
  }

  if (kiosk) store(false)
  else if (stored()) root.classList.add(CLASS)

  function setup() {
    var header = document.querySelector(".md-header__inner")
    if (!header || header.querySelector(".yb-elder-switch")) return
    var button = document.createElement("button")
    button.type = "button"
    button.className = "yb-elder-switch"
    button.textContent = "长辈模式"
    // The hint is read out, not shown: a `title` becomes the theme's tooltip, which stayed over
    // the page after a tap (the button keeps focus).
    var hint = document.createElement("span")
    hint.id = "yb-elder-hint"
    hint.className = "yb-elder-hint"
    hint.textContent = "放大文字和按钮，再按一次恢复"
    button.setAttribute("aria-describedby", hint.id)
    var sync = function () { button.setAttribute("aria-pressed", String(root.classList.contains(CLASS))) }
    button.addEventListener("click", function () {
      var on = !root.classList.contains(CLASS)
      root.classList.toggle(CLASS, on)
      store(on)
      sync()
    })
    sync()
    // the class can also be cleared by the calculator's kiosk reset: keep the switch in step
    new MutationObserver(sync).observe(root, { attributes: true, attributeFilter: ["class"] })
    var title = header.querySelector(".md-header__title")
    header.insertBefore(button, title ? title.nextSibling : null)
    header.insertBefore(hint, button.nextSibling)
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup, { once: true })
  else setup()
})()
