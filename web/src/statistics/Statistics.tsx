import { useQuery } from '@apollo/client';
import { Card, Col, DatePicker, Row, Spin, Statistic, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { StatisticsDocument, type StatisticsQuery } from '../graphql/graphql';
import { Chart } from '../ui/Chart';
import { ServiceErrors } from '../ui/ServiceErrors';
import { barOption, categoryRows, channelRows, percent, statusOption, type Row as FigureRow } from './options';

type OfficeRow = StatisticsQuery['subtreeMetrics']['offices'][number];
const DAY = 'YYYY-MM-DD';

/** The period in the address (`?start=&end=`), this year so far by default. */
function usePeriod(): [Dayjs, Dayjs, (range: [Dayjs, Dayjs]) => void] {
  const [params, setParams] = useSearchParams();
  const start = dayjs(params.get('start') ?? dayjs().startOf('year').format(DAY));
  const end = dayjs(params.get('end') ?? dayjs().format(DAY));
  return [start, end, ([s, e]) => setParams({ start: s.format(DAY), end: e.format(DAY) })];
}

/** 统计 (leaders, supervisors): the office's figures over a period — received, accepted and answered
 * in time, satisfaction — by channel and category, its petitions by status now, and each office
 * of its subtree. One query. */
export function Statistics() {
  const [start, end, setPeriod] = usePeriod();
  const { data, loading, error } = useQuery(StatisticsDocument, {
    variables: {
      start: start.format(DAY),
      end: end.format(DAY),
      fromMonth: start.startOf('month').format(DAY),
      toMonth: end.startOf('month').format(DAY),
    },
  });
  const charts = useMemo(() => {
    if (!data) return null;
    const channels = channelRows(data.officeMetrics.byChannel);
    const categories = categoryRows(data.officeMetrics.byCategory, data.categories);
    return {
      channels,
      categories,
      channelOption: barOption(channels),
      categoryOption: barOption(categories.slice(0, 10)),
      statusOption: statusOption(data.petitionCounts),
    };
  }, [data]);
  const total = data?.officeMetrics.total;
  return (
    <div>
      <Typography.Title level={3}>统计</Typography.Title>
      <DatePicker.RangePicker
        aria-label="统计期间"
        value={[start, end]}
        allowClear={false}
        onChange={(range) => range?.[0] && range[1] && setPeriod([range[0], range[1]])}
        style={{ marginBottom: 16 }}
      />
      <ServiceErrors error={error} />
      {loading && !data && <Spin />}
      {total && charts && (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }} data-testid="totals">
            <Col span={4}><Card><Statistic title="登记" value={total.received} suffix="件" /></Card></Col>
            <Col span={4}><Card><Statistic title="初信初访" value={total.firstTime} suffix="件" /></Card></Col>
            <Col span={4}><Card><Statistic title="重复信访" value={total.repeat} suffix="件" /></Card></Col>
            <Col span={4}><Card><Statistic title="按期受理" value={`${total.acceptedOnTime} / ${total.accepted}`} /></Card></Col>
            <Col span={4}><Card><Statistic title="按期答复" value={`${total.completedOnTime} / ${total.completed}`} /></Card></Col>
            <Col span={4}><Card><Statistic title="满意率" value={percent(total.satisfactionRate)} /></Card></Col>
          </Row>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col span={12}>
              <Card title="按渠道">
                <Chart option={charts.channelOption} label="按渠道的登记与答复件数" />
                <FigureTable rows={charts.channels} first="渠道" />
              </Card>
            </Col>
            <Col span={12}>
              <Card title="当前状态">
                <Chart option={charts.statusOption} label="本单位信访件按状态的分布" />
              </Card>
            </Col>
          </Row>
          <Card title="按问题分类（前 10 类）" style={{ marginBottom: 16 }}>
            <Chart option={charts.categoryOption} label="按问题分类的登记与答复件数" />
            <FigureTable rows={charts.categories} first="分类" />
          </Card>
          <Card title="本级及下级单位（按月汇总）">
            <Table<OfficeRow>
              rowKey={(r) => r.office?.code ?? 'total'}
              size="small"
              pagination={false}
              dataSource={data.subtreeMetrics.offices}
              columns={[
                { title: '单位', render: (_, r) => r.office?.name },
                { title: '登记', dataIndex: 'registered' },
                { title: '按期受理率', render: (_, r) => percent(r.timelyAcceptanceRate) },
                { title: '按期办结率', render: (_, r) => percent(r.onTimeCompletionRate) },
                { title: '满意率', render: (_, r) => percent(r.satisfactionRate) },
                { title: '重复率', render: (_, r) => percent(r.repeatRate) },
              ]}
            />
          </Card>
        </>
      )}
    </div>
  );
}

function FigureTable({ rows, first }: { rows: FigureRow[]; first: string }) {
  return (
    <Table<FigureRow>
      rowKey="name"
      size="small"
      pagination={false}
      dataSource={rows}
      columns={[
        { title: first, dataIndex: 'name' },
        { title: '登记', dataIndex: 'received' },
        { title: '办结答复', dataIndex: 'completed' },
      ]}
    />
  );
}
