// Builds DOM nodes. Text (every string that came from the server included) only ever becomes a text node or
// textContent, never parsed as markup: no HTML-writing sink is used anywhere in the console.

/**
 * h('button', {class: 'x', text: 'Go', onclick: f, 'aria-label': 'Go'}, child, ...)
 * Props: `class`, `text` (textContent), `on<event>` (listener), `dataset` (object); anything else is an attribute
 * (false/null/undefined leave it out, true sets it empty). Children: nodes, strings (text nodes), arrays, null.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name === 'text') el.textContent = String(value);
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'value') el.value = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}
