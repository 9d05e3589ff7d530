/* Search only when it is used: no search index and no search worker on a page until the
 * resident opens search.
 *
 * Material 9.x fetches search/search_index.json (XMLHttpRequest) and starts its search
 * worker as soon as a page loads. This script runs just before Material's bundle
 * (portal/overrides/main.html) and holds both back until the first focus of the search
 * box or the first opening of the search dialog; a link with ?q=… (search deep link)
 * starts at once. Material's own code is unchanged: it gets a stand-in worker that
 * queues messages until the real one starts.
 */
(function () {
  "use strict"
  var started = /[?&]q=/.test(location.search)
  var waiting = []

  function start() {
    if (started) return
    started = true
    waiting.splice(0).forEach(function (run) { run() })
  }
  function whenStarted(run) {
    if (started) run()
    else waiting.push(run)
  }

  var open = XMLHttpRequest.prototype.open
  var send = XMLHttpRequest.prototype.send
  XMLHttpRequest.prototype.open = function (method, url) {
    this.ybSearchIndex = /\/search\/search_index\.json(\?|$)/.test(String(url))
    return open.apply(this, arguments)
  }
  XMLHttpRequest.prototype.send = function () {
    var xhr = this
    var args = arguments
    if (xhr.ybSearchIndex && !started) {
      whenStarted(function () { send.apply(xhr, args) })
      return undefined
    }
    return send.apply(xhr, args)
  }

  var NativeWorker = window.Worker
  function LazyWorker(url, options) {
    if (started || !/\/workers\/search/.test(String(url)))
      return new NativeWorker(url, options)
    var stand = new EventTarget()
    var real = null
    var queue = []
    stand.postMessage = function (message) {
      if (real) real.postMessage(message)
      else queue.push(message)
    }
    stand.terminate = function () {
      if (real) real.terminate()
    }
    whenStarted(function () {
      real = new NativeWorker(url, options)
      real.addEventListener("message", function (event) {
        stand.dispatchEvent(new MessageEvent("message", { data: event.data }))
      })
      real.addEventListener("error", function () { stand.dispatchEvent(new Event("error")) })
      queue.splice(0).forEach(function (message) { real.postMessage(message) })
    })
    return stand
  }
  LazyWorker.prototype = NativeWorker.prototype
  window.Worker = LazyWorker

  document.addEventListener("focusin", function (event) {
    var el = event.target
    if (el && el.matches && el.matches("[data-md-component=search-query]")) start()
  })
  // Material reads the query on keyup: text that comes without a key (pasted, dictated, a
  // phone keyboard's word) is searched as well (Material drops a repeated value itself).
  document.addEventListener("input", function (event) {
    var el = event.target
    if (el && el.matches && el.matches("[data-md-component=search-query]") && !event.isComposing)
      el.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }))
  })
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) start()
  })
})()
