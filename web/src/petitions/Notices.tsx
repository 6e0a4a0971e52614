import { useMutation } from '@apollo/client';
import { Button, Space, Table, Tag, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { MarkNoticePostedDocument, type NoticeRowFragment } from '../graphql/graphql';
import { label } from '../ui/labels';
import { ServiceErrors } from '../ui/ServiceErrors';

const time = (v: string | null | undefined) => (v ? dayjs(v).format('YYYY-MM-DD HH:mm') : '—');
const COLORS: Record<string, string> = { SENT: 'green', PENDING: 'blue', TO_PRINT: 'orange', NOT_SENT: 'default', FAILED: 'red' };

/** 告知: every notice the petitioner was sent — which document, to whom, by which channel, and
 * how its delivery stands (with the reason when it failed or was not sent); a letter the office
 * prints is downloaded here and marked posted. */
export function Notices({ notices }: { notices: NoticeRowFragment[] }) {
  const [posted, { error }] = useMutation(MarkNoticePostedDocument, { onError: () => undefined });
  return (
    <>
      <ServiceErrors error={error} />
      <Table<NoticeRowFragment>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={notices}
        locale={{ emptyText: '尚无告知' }}
        onRow={(n) => ({ 'data-testid': 'notice-row', 'data-status': n.status } as React.HTMLAttributes<HTMLElement>)}
        columns={[
          { title: '告知', render: (_, n) => label('NoticeKind', n.kind) },
          { title: '信访人', render: (_, n) => `${n.recipientName}${n.addressMasked ? `（${n.addressMasked}）` : ''}` },
          { title: '渠道', render: (_, n) => label('NoticeChannel', n.channel) },
          {
            title: '状态',
            render: (_, n) => (
              <Tooltip title={n.lastError || undefined}>
                <Tag color={COLORS[n.status]}>{label('NoticeStatus', n.status)}</Tag>
              </Tooltip>
            ),
          },
          { title: '说明', render: (_, n) => n.lastError || (n.attempts > 1 ? `已尝试 ${n.attempts} 次` : '—') },
          { title: '出具', render: (_, n) => time(n.createdAt) },
          { title: '发送', render: (_, n) => time(n.sentAt) },
          {
            title: '告知书',
            render: (_, n) =>
              n.letterUrl && (
                <Space>
                  <a href={n.letterUrl} target="_blank" rel="noreferrer">下载</a>
                  {n.status !== 'SENT' && (
                    <Button size="small" onClick={() => posted({ variables: { noticeId: n.id } })}>已寄出</Button>
                  )}
                </Space>
              ),
          },
        ]}
      />
    </>
  );
}
