// The policy data as the page fetches it: data/index.json (what the form lists) and one file
// per region (what the form offers for that region's policies), each fetched once and handed to
// the engine's worker, which then fetches nothing twice. calculator-boot.js starts the index and
// the opening region's fetches before this module loads; the promises are picked up here.
// The last policy chosen is remembered on this device (never in kiosk mode).

import { SITE } from "./dom.js";

const REMEMBER = "yb-policy";

async function text(url) {
  const resp = await fetch(url);
  if (!resp.ok) throw new Error(String(resp.status));
  return resp.text();
}

export class PolicyData {
  constructor() {
    this.loading = new Map();   // region id -> promise of its part (parsed)
    this.indexText = (async () => {
      try {
        if (window.ybIndexText) return await window.ybIndexText;
      } catch { /* fetched again below */ }
      return text(new URL("data/index.json", SITE));
    })();
    this.early = window.ybRegionText || null;  // {region, text} of the opening region, or null
  }

  async index() {
    if (!this._index) this._index = JSON.parse(await this.indexText);
    return this._index;
  }

  /** A region's part: fetched once, handed to `onText(region, text)` (the worker) and returned parsed. */
  region(id, onText) {
    if (!this.loading.has(id)) {
      const load = (async () => {
        let got = null;
        try { got = this.early && await this.early; } catch { /* fetched below */ }
        const body = got && got.region === id ? got.text
          : await text(new URL("data/" + (await this.index()).region_files[id], SITE));
        onText(id, body);
        return JSON.parse(body);
      })();
      load.catch(() => this.loading.delete(id));  // a failed fetch is tried again next time
      this.loading.set(id, load);
    }
    return this.loading.get(id);
  }

  /** The region files fetched so far (the offline copy keeps them). */
  files() {
    const files = this._index?.region_files || {};
    return [...this.loading.keys()].filter((id) => files[id]).map((id) => "data/" + files[id]);
  }
}

export function rememberedPolicy() {
  try { return localStorage.getItem(REMEMBER); } catch { return null; }
}

export function rememberPolicy(id) {
  try { localStorage.setItem(REMEMBER, id); } catch { /* storage blocked: nothing kept */ }
}
