// @ts-check
/**
 * Tabs after the WAI-ARIA tabs pattern, for the App / Code tabs and the file tabs of an
 * editor: real buttons in a `tablist`, each labelling its `tabpanel`; one tab in the Tab
 * order (the selected one); arrow keys, Home and End move between tabs and select them
 * (automatic activation).
 */
import { button, element } from "./dom.js";

/**
 * @typedef {Object} Tab
 * @property {string} text      the tab's label
 * @property {string} id        the tab's id (its panel's is `${id}-panel`)
 * @property {HTMLElement} panel
 */

/**
 * @param {string} label          the tab list's accessible name
 * @param {string} className      added to the list's class
 * @param {Tab[]} tabs
 * @param {(index: number) => void} [onSelect]  after a tab is selected
 * @returns {{list: HTMLElement, select: (index: number, focus?: boolean) => void}}
 */
export function tabList(label, className, tabs, onSelect) {
  const list = element("div", `stlite-docs-tablist ${className}`);
  list.setAttribute("role", "tablist");
  list.setAttribute("aria-label", label);
  const buttons = tabs.map(({ text, id, panel }, index) => {
    const tab = button(text, "stlite-docs-tab", () => select(index));
    tab.setAttribute("role", "tab");
    tab.id = id;
    panel.id = `${id}-panel`;
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
    tab.setAttribute("aria-controls", panel.id);
    list.append(tab);
    return tab;
  });
  list.addEventListener("keydown", (event) => {
    const now = buttons.findIndex((tab) => tab === event.target);
    if (now < 0) return;
    const next = { ArrowRight: now + 1, ArrowLeft: now - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select((next + buttons.length) % buttons.length, true);
  });
  const select = (/** @type {number} */ index, focus = false) => {
    buttons.forEach((tab, other) => {
      const selected = other === index;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      tabs[other].panel.hidden = !selected;
    });
    if (focus) buttons[index].focus();
    onSelect?.(index);
  };
  return { list, select };
}
