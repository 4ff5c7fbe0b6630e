// chart.js, loaded on first use (only the Team view draws charts) with only the pieces we draw registered.
import type { Chart as ChartType, ChartConfiguration } from 'chart.js';

let loading: Promise<typeof ChartType> | null = null;

export function loadChart(): Promise<typeof ChartType> {
  loading ??= import('chart.js').then((m) => {
    m.Chart.register(m.BarController, m.BarElement, m.LineController, m.LineElement, m.PointElement, m.CategoryScale, m.LinearScale, m.Tooltip, m.Legend);
    return m.Chart;
  });
  return loading;
}

export const PALETTE = ['#3056d3', '#d1495b', '#2e8b57', '#edae49', '#7d5ba6', '#00798c', '#e07a1f', '#6c757d'];

/** Axis and legend colours from the page's theme variables. */
export function themed(cfg: ChartConfiguration): ChartConfiguration {
  const css = getComputedStyle(document.documentElement);
  const fg = css.getPropertyValue('--muted').trim() || '#5d6270';
  const grid = css.getPropertyValue('--border').trim() || '#d5d8e0';
  const axis = { ticks: { color: fg }, grid: { color: grid } };
  return {
    ...cfg,
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      ...cfg.options,
      plugins: { legend: { labels: { color: fg } }, ...cfg.options?.plugins },
      scales: { x: { ...axis, ...cfg.options?.scales?.x }, y: { ...axis, beginAtZero: true, ...cfg.options?.scales?.y } },
    },
  } as ChartConfiguration;
}
