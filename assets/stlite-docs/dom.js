// @ts-check
/** Small DOM helpers shared by the loader's modules. */

/**
 * @param {string} tag @param {string} className @param {string} [text]
 * @returns {HTMLElement}
 */
export function element(tag, className, text) {
  const el = document.createElement(tag);
  el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * A real <button type="button"> in the loader's style (keyboard reachable, focus ring in CSS).
 * @param {string} label @param {string} className @param {() => void} onClick
 */
export function button(label, className, onClick) {
  const el = /** @type {HTMLButtonElement} */ (element("button", `stlite-docs-button ${className}`, label));
  el.type = "button";
  el.addEventListener("click", onClick);
  return el;
}
