// Sharing the scenario: a link (its fragment holds the inputs) and a QR code.

import { $, h } from "./dom.js";

export async function copyLink(url) {
  const note = $(".yb-copied");
  try {
    await navigator.clipboard.writeText(url);
    note.textContent = "链接已复制。";
  } catch {
    const box = h("input", { type: "text", value: url, readonly: true, "aria-label": "分享链接", class: "yb-linkbox" });
    note.replaceChildren("请手动复制：", box);
    box.select();
  }
}

let encoder = null;

async function renderQr(url) {
  encoder = encoder || (await import("../vendor/qrcode.mjs")).default;
  const qr = encoder(0, "M");
  qr.addData(url);
  qr.make();
  const box = $("#yb-qr");
  // The encoder's SVG has no style attributes (the CSP forbids inline styles).
  box.innerHTML = qr.createSvgTag({ cellSize: 4, margin: 4, scalable: true, alt: "本次估算的链接二维码", title: "扫码打开本次估算" });
  box.append(h("p", { class: "yb-hint" }, "用手机扫码，可在手机上打开同样的估算。"));
}

export async function toggleQr(url) {
  const box = $("#yb-qr");
  const btn = $("#yb-qr-btn");
  const show = box.hidden;
  if (show) await renderQr(url);
  box.hidden = !show;
  btn.textContent = show ? "隐藏二维码" : "显示二维码";
  btn.setAttribute("aria-expanded", String(show));
}

/** Keep a shown QR code in step with the inputs. */
export function refreshQr(url) {
  if (!$("#yb-qr").hidden) renderQr(url);
}
