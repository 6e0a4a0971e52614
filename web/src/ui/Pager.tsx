import { Button, Space, Typography } from 'antd';
import { nextCursor, type Cursor } from './paging';

interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor?: string | null;
  endCursor?: string | null;
}

/** The total of a keyset list and its 上一页 / 下一页; `onMove` gets the cursor of the page to show. */
export function Pager({ name, total, unit, pageInfo, onMove }: {
  name: string;
  total: number | undefined;
  unit: string;
  pageInfo: PageInfo | undefined;
  onMove: (cursor: Cursor) => void;
}) {
  return (
    <Space style={{ marginTop: 12 }} role="navigation" aria-label={`${name}翻页`}>
      <Typography.Text data-testid="pager-total">
        共 {total ?? '—'} {unit}
      </Typography.Text>
      <Button disabled={!pageInfo?.hasPreviousPage} onClick={() => pageInfo && onMove(nextCursor('previous', pageInfo))}>
        上一页
      </Button>
      <Button disabled={!pageInfo?.hasNextPage} onClick={() => pageInfo && onMove(nextCursor('next', pageInfo))}>
        下一页
      </Button>
    </Space>
  );
}
