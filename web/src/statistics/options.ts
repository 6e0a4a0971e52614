// The statistics screen's charts as ECharts options, from the API's figures (pure: tested alone).
import type { PetitionStatus } from '../graphql/graphql';
import type { ChartOption } from '../ui/Chart';
import { label } from '../ui/labels';

interface Breakdown {
  key: string;
  figures: { received: number; completed: number };
}

export interface Row {
  name: string;
  received: number;
  completed: number;
}

/** Channels by their Chinese names (the API keys them by the stored value, e.g. `visit`). */
export function channelRows(byChannel: readonly Breakdown[]): Row[] {
  return byChannel.map((b) => ({ name: label('Channel', b.key.toUpperCase()), ...b.figures }));
}

/** Top-level categories named from the taxonomy's full names ("城乡建设/征地拆迁" → 城乡建设). */
export function categoryRows(byCategory: readonly Breakdown[], categories: readonly { code: string; name: string }[]): Row[] {
  const topName = (key: string) => categories.find((c) => c.code.startsWith(`${key}.`))?.name.split('/')[0] ?? key;
  return byCategory
    .map((b) => ({ name: topName(b.key), ...b.figures }))
    .sort((a, b) => b.received - a.received);
}

/** Received and answered side by side, one bar pair per row. */
export function barOption(rows: readonly Row[]): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { data: ['登记', '办结答复'] },
    grid: { left: 48, right: 16, bottom: 48 },
    xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '登记', type: 'bar', data: rows.map((r) => r.received) },
      { name: '办结答复', type: 'bar', data: rows.map((r) => r.completed) },
    ],
  };
}

/** The petitions by status now, leaving out the statuses nobody is in. */
export function statusOption(counts: readonly { status: PetitionStatus; count: number }[]): ChartOption {
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c} 件（{d}%）' },
    legend: { type: 'scroll', orient: 'vertical', right: 0 },
    series: [
      {
        type: 'pie',
        radius: ['40%', '70%'],
        center: ['40%', '50%'],
        data: counts.filter((c) => c.count > 0).map((c) => ({ name: label('PetitionStatus', c.status), value: c.count })),
      },
    ],
  };
}

/** A rate as a percentage, or — when nothing was due. */
export function percent(rate: number | null | undefined): string {
  return rate == null ? '—' : `${(rate * 100).toFixed(1)}%`;
}
