// Sharing the scenario: a link (its fragment holds the inputs) and a QR code.

import { $, fill, h } from "./dom.js";

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
  const box = $("#yb-qr");
  const qr = encoder(0, "M");
  qr.addData(url);
  try {
    qr.make();
  } catch {  // more than a QR code holds (a long year): the link itself still works
    fill(box, h("p", { class: "yb-hint yb-qr-none" }, "这次填写的内容太多，放不进一个二维码，所以不提供二维码。请用“复制链接”分享，链接里包含全部内容。"));
    return;
  }
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
