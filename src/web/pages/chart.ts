import { createHash } from 'node:crypto';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { html, trusted, type Html } from './html.ts';

/**
 * Charts drawn on the server as SVG by Vega-Lite (compiled to Vega, rendered by Vega's own SVG
 * renderer: no browser, no canvas). Each chart goes beside a table of the same figures, so the
 * SVG is hidden from screen readers and the figure's caption says where the numbers are.
 */
const cache = new Map<string, string>();
const CACHE_SIZE = 200;

export async function chartSvg(spec: TopLevelSpec): Promise<string> {
  const key = createHash('sha1').update(JSON.stringify(spec)).digest('base64url');
  const hit = cache.get(key);
  if (hit) return hit;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, svg);
    return svg;
  } finally {
    view.finalize();
  }
}

const FONT = { config: { font: 'system-ui, sans-serif', axis: { labelFontSize: 12, titleFontSize: 12 }, legend: { labelFontSize: 12, titleFontSize: 12 }, view: { stroke: null } } };

/** A line per series over ordered steps (votes of each candidate at each stage of a count). */
export async function lineChart(o: { title: string; x: string; y: string; series: string; points: { x: number | string; y: number; series: string }[] }): Promise<Html> {
  const svg = await chartSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 560,
    height: 280,
    data: { values: o.points },
    mark: { type: 'line', point: true, strokeWidth: 2.5 },
    encoding: {
      x: { field: 'x', type: 'ordinal', title: o.x, axis: { labelAngle: 0 } },
      y: { field: 'y', type: 'quantitative', title: o.y },
      color: { field: 'series', type: 'nominal', title: o.series, scale: { scheme: 'dark2' } },
      shape: { field: 'series', type: 'nominal', title: o.series },
    },
    ...FONT,
  } as TopLevelSpec);
  return figure(o.title, svg);
}

/** Bars of one figure per category (notices filed each period). */
export async function barChart(o: { title: string; x: string; y: string; bars: { x: string; y: number }[] }): Promise<Html> {
  const svg = await chartSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 480,
    height: 240,
    data: { values: o.bars },
    mark: { type: 'bar', color: '#1d5a8a' },
    encoding: { x: { field: 'x', type: 'ordinal', title: o.x, axis: { labelAngle: 0 } }, y: { field: 'y', type: 'quantitative', title: o.y, axis: { tickMinStep: 1 } } },
    ...FONT,
  } as TopLevelSpec);
  return figure(o.title, svg);
}

/** Horizontal bars, for categories with long names (how seats were filled, report-backs on time or late). */
export async function categoryChart(o: { title: string; x: string; bars: { category: string; value: number }[] }): Promise<Html> {
  const svg = await chartSvg({
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 280,
    height: { step: 30 },
    data: { values: o.bars },
    mark: { type: 'bar', color: '#1d5a8a' },
    encoding: {
      y: { field: 'category', type: 'nominal', title: null, sort: null, axis: { labelLimit: 420, labelFontSize: 13 } },
      x: { field: 'value', type: 'quantitative', title: o.x, axis: { tickMinStep: 1 } },
    },
    ...FONT,
  } as TopLevelSpec);
  return figure(o.title, svg);
}

function figure(title: string, svg: string): Html {
  // the figures are in the table beside it; the picture is for sighted readers
  const hidden = svg.replace(/^<svg /, '<svg aria-hidden="true" focusable="false" ');
  return html`<figure class="chart"><div class="chart-box">${trusted(hidden)}</div><figcaption>${title}</figcaption></figure>`;
}
