import { describe, expect, it } from 'vitest';
import { barOption, categoryRows, channelRows, percent, statusOption } from './options';

const figures = (received: number, completed = 0) => ({ received, completed });

describe('statistics options', () => {
  it('names channels in Chinese and top-level categories from the taxonomy, most received first', () => {
    expect(channelRows([{ key: 'visit', figures: figures(3, 1) }])).toEqual([{ name: '来访', received: 3, completed: 1 }]);
    const rows = categoryRows(
      [
        { key: '01', figures: figures(2) },
        { key: '02', figures: figures(5) },
        { key: '99', figures: figures(1) },
      ],
      [
        { code: '01.01', name: '城乡建设/征地拆迁' },
        { code: '02.03', name: '农业农村/土地承包' },
      ],
    );
    expect(rows.map((r) => r.name)).toEqual(['农业农村', '城乡建设', '99']);
  });

  it('draws received and answered as two bar series over the same names', () => {
    const option = barOption([{ name: '来信', received: 4, completed: 2 }]) as { series: { data: number[] }[]; xAxis: { data: string[] } };
    expect(option.xAxis.data).toEqual(['来信']);
    expect(option.series.map((s) => s.data)).toEqual([[4], [2]]);
  });

  it('leaves empty statuses out of the pie', () => {
    const option = statusOption([
      { status: 'REGISTERED', count: 2 },
      { status: 'CLOSED', count: 0 },
    ]) as { series: { data: { name: string; value: number }[] }[] };
    expect(option.series[0].data).toEqual([{ name: '已登记', value: 2 }]);
  });

  it('shows a rate as a percentage and nothing due as a dash', () => {
    expect(percent(0.875)).toBe('87.5%');
    expect(percent(null)).toBe('—');
  });
});
