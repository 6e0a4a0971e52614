import { useQuery } from '@apollo/client';
import { Alert, Button, DatePicker, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { AdminCalendarDocument, SetOfficeDayDocument, type AdminCalendarQuery } from '../graphql/graphql';
import { label, options } from '../ui/labels';
import { MutationForm } from '../ui/MutationForm';
import { ServiceErrors } from '../ui/ServiceErrors';

type Day = AdminCalendarQuery['officeCalendar']['days'][number];
const REFETCH = ['AdminCalendar'];
const thisYear = dayjs().year();

/** 节假日: the national calendar of the year (holidays and 调休 working weekends, read-only) and the
 * office's own additions, which an admin adds and removes; deadlines roll over both. */
export default function CalendarTab() {
  const [year, setYear] = useState(thisYear);
  const [adding, setAdding] = useState(false);
  const { data, loading, error } = useQuery(AdminCalendarDocument, { variables: { year } });
  const calendar = data?.officeCalendar;
  return (
    <div>
      <Space style={{ marginBottom: 16 }}>
        <Select
          aria-label="年份"
          value={year}
          onChange={setYear}
          options={[thisYear - 1, thisYear, thisYear + 1].map((y) => ({ value: y, label: `${y} 年` }))}
        />
        <Button type="primary" onClick={() => setAdding(true)}>
          添加本单位日期
        </Button>
      </Space>
      <ServiceErrors error={error} />
      {calendar && !calendar.covered && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} message={`国家节假日安排尚未载入 ${year} 年，该年的期限无法计算`} />
      )}
      {calendar?.provisional && (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={`${year} 年只有法定节日，国务院放假通知载入前为暂定安排`} />
      )}
      <Table<Day>
        rowKey={(d) => `${d.source}-${d.day}`}
        loading={loading && !data}
        size="small"
        pagination={false}
        dataSource={calendar?.days}
        onRow={(d) => ({ 'data-testid': 'calendar-day', 'data-day': d.day }) as React.HTMLAttributes<HTMLElement>}
        columns={[
          { title: '日期', render: (_, d) => `${d.day}（${dayjs(d.day).format('dd')}）` },
          { title: '类型', render: (_, d) => <Tag color={d.kind === 'HOLIDAY' ? 'red' : 'blue'}>{label('CalendarDayKind', d.kind)}</Tag> },
          { title: '名称', dataIndex: 'name' },
          { title: '来源', render: (_, d) => label('CalendarDaySource', d.source) },
          {
            title: '操作',
            render: (_, d) => (d.source === 'OFFICE' ? <RemoveDay day={d.day} /> : null),
          },
        ]}
      />
      <Modal open={adding} title="添加本单位日期" footer={null} destroyOnClose onCancel={() => setAdding(false)}>
        <MutationForm
          mutation={SetOfficeDayDocument}
          submit="确认添加"
          refetchQueries={REFETCH}
          toVariables={(v) => ({ ...v, day: (v.day as Dayjs).format('YYYY-MM-DD') })}
          onDone={() => setAdding(false)}
        >
          <Form.Item name="day" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
            <Select options={options('CalendarDayKind')} />
          </Form.Item>
          <Form.Item name="name" label="名称">
            <Input />
          </Form.Item>
        </MutationForm>
      </Modal>
    </div>
  );
}

function RemoveDay({ day }: { day: string }) {
  return (
    <MutationForm mutation={SetOfficeDayDocument} submit="删除" refetchQueries={REFETCH} toVariables={() => ({ day, kind: null })} onDone={() => undefined} />
  );
}
