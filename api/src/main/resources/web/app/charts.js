// Live line charts (uPlot from its WebJar) fed one sample at a time; 10 minutes kept.
import uPlot from '/vendor/uplot/uPlot.esm.js';
import { h } from './dom.js';

const KEEP_SECONDS = 600;
const COLORS = ['#1f6feb', '#2da44e', '#bf8700', '#cf222e', '#8250df'];

/**
 * lineChart(id, 'Calls per minute', ['Dials/min', ...], {unit}) -> {element, push(t, values)}.
 * The container's data-points attribute counts the samples (for tests and assistive tech, the
 * latest values are also written in the caption).
 */
export function lineChart(id, title, labels, { unit = '', dashed = [] } = {}) {
  const plotArea = h('div', { class: 'plot' });
  const caption = h('p', { class: 'chart-caption', id: `${id}-latest`, 'aria-live': 'off' });
  const element = h('figure', { id, class: 'chart', 'data-points': '0', 'aria-labelledby': `${id}-title` },
    h('figcaption', { id: `${id}-title` }, title), plotArea, caption);
  const data = [[], ...labels.map(() => [])];
  let plot = null;

  function width() {
    return Math.max(260, plotArea.clientWidth || element.clientWidth || 480);
  }

  function ensure() {
    if (plot || !plotArea.isConnected) return;
    plot = new uPlot({
      width: width(),
      height: 200,
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.15)] } },
      series: [{}, ...labels.map((label, i) => ({
        label, stroke: COLORS[i % COLORS.length], width: 2, dash: dashed.includes(i) ? [6, 4] : undefined,
        value: (u, v) => (v == null ? '–' : `${v.toFixed(2)}${unit}`),
      }))],
      axes: [{}, { values: (u, ticks) => ticks.map(t => `${t}${unit}`) }],
      legend: { live: false },
    }, data, plotArea);
  }

  const resize = () => plot?.setSize({ width: width(), height: 200 });
  window.addEventListener('resize', resize);

  return {
    element,
    push(t, values) {
      data[0].push(t);
      values.forEach((v, i) => data[i + 1].push(v));
      while (data[0].length && data[0][0] < t - KEEP_SECONDS) data.forEach(s => s.shift());
      ensure();
      plot?.setData(data);
      element.dataset.points = String(Number(element.dataset.points) + 1);
      caption.textContent = labels.map((l, i) => `${l}: ${values[i] == null ? '–' : values[i].toFixed(2)}${unit}`).join(' · ');
    },
    dispose() {
      window.removeEventListener('resize', resize);
      plot?.destroy();
    },
  };
}

/** Per-minute rates from cumulative counters sampled over time (a sliding minute). */
export function rateMeter() {
  const samples = [];
  return function rate(t, counters) {
    samples.push({ t, counters });
    while (samples.length > 2 && samples[1].t <= t - 60) samples.shift();
    const first = samples[0];
    const minutes = (t - first.t) / 60;
    if (minutes < 5 / 60) return counters.map(() => 0);
    return counters.map((c, i) => Math.max(0, (c - first.counters[i]) / minutes));
  };
}
