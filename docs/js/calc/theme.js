// The site theme's script (Material's bundle: search, the header's behaviour) on the
// calculator page. The page carries it with an inert type (portal/overrides/main.html)
// and starts it once the first estimate is on screen, or as soon as the resident
// reaches for the header or presses a search key: on a phone's two cores its start
// competes with Python's. The header's menu and links work without it.

let started = false;

export function startTheme() {
  if (started) return;
  started = true;
  const later = document.querySelector('script[type="text/yb-later"]');
  if (!later) return;
  const script = document.createElement("script");
  script.src = later.src;
  // Material starts on DOMContentLoaded, which has passed: it is announced again once loaded
  // (the site's other scripts listen for it only once).
  script.onload = () => document.dispatchEvent(new Event("DOMContentLoaded"));
  later.replaceWith(script);
}

export function armTheme() {
  const header = document.querySelector(".md-header");
  for (const type of ["pointerdown", "focusin"]) header?.addEventListener(type, startTheme, { once: true, passive: true });
  // Material's search keys (s, f, /) outside a form field.
  document.addEventListener("keydown", (event) => {
    if (/^[sf/]$/i.test(event.key) && !event.target.closest?.("input, select, textarea")) startTheme();
  });
}
