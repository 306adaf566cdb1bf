// Small DOM and chart helpers. Text always goes in through textContent, never as HTML.
// `echarts` is the global of the bundle index.html loads before the modules.

const PALETTE = [
  '#c62828',
  '#1565c0',
  '#2e7d32',
  '#ef6c00',
  '#6a1b9a',
  '#00838f',
  '#5d4037',
  '#757575',
];

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) node.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child !== undefined && child !== null) {
      node.append(typeof child === 'string' ? document.createTextNode(child) : child);
    }
  }
  return node;
}

/**
 * A table: `columns` are `{ label, number? }`, rows and the optional footer are arrays of cell
 * texts in the same order. Numbers are right-aligned.
 */
export function table(columns, rows, footer) {
  const cell = (tag, column, text) =>
    el(tag, { class: column.number ? 'number' : undefined }, String(text));
  const head = el('tr', {}, ...columns.map((c) => cell('th', c, c.label)));
  const body = rows.map((row) =>
    el('tr', {}, ...row.map((text, i) => cell('td', columns[i], text))),
  );
  const foot = footer
    ? el('tfoot', {}, el('tr', {}, ...footer.map((text, i) => cell('td', columns[i], text))))
    : null;
  return el('table', {}, el('thead', {}, head), el('tbody', {}, ...body), foot);
}

/** Replaces a container's content. */
export function fill(container, ...children) {
  container.replaceChildren(...children.filter((c) => c !== null && c !== undefined));
}

const resizing = new WeakSet();

/** Draws (or redraws) an ECharts chart in `container`, sized to it as the window changes. */
export function chart(container, option) {
  const instance =
    echarts.getInstanceByDom(container) ?? echarts.init(container, null, { locale: 'ZH' });
  instance.setOption(
    {
      color: PALETTE,
      textStyle: { fontFamily: 'inherit' },
      animation: false,
      ...option,
    },
    { notMerge: true },
  );
  if (!resizing.has(container)) {
    resizing.add(container);
    new ResizeObserver(() => {
      instance.resize();
    }).observe(container);
  }
  return instance;
}

/** A chart with nothing to show says so instead of drawing empty axes. */
export function emptyChart(container, text = '暂无数据') {
  return chart(container, {
    title: {
      text,
      left: 'center',
      top: 'middle',
      textStyle: { color: '#5f6b7a', fontSize: 14, fontWeight: 'normal' },
    },
  });
}
