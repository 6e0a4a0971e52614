import { useQuery } from '@apollo/client';
import { Button, Card, Checkbox, Col, Empty, Input, List, Row, Space, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link, useSearchParams } from 'react-router-dom';
import { SearchPetitionsDocument, type SearchFilterInput } from '../graphql/graphql';
import { useSession } from '../app/session';
import { errorMessage } from '../ui/errorMessages';
import { label } from '../ui/labels';
import { ServiceErrors } from '../ui/ServiceErrors';
import { Highlight } from './Highlight';

const FACETS = [
  ['status', 'statuses', '状态'],
  ['channel', 'channels', '渠道'],
  ['category', 'categories', '分类'],
  ['office', 'officeCodes', '单位'],
] as const;

/** 检索: full-text search across what this office may see; facets narrow it, in the address. */
export function Search() {
  const { office } = useSession();
  const [params, setParams] = useSearchParams();
  const text = params.get('q') ?? '';
  const filter: SearchFilterInput = {};
  for (const [, key] of FACETS) {
    const values = params.getAll(key);
    if (values.length) (filter as Record<string, string[]>)[key] = values;
  }
  const { data, loading, error } = useQuery(SearchPetitionsDocument, {
    variables: { text: text || undefined, filter, after: params.get('after') ?? undefined },
  });
  const result = data?.searchPetitions;

  function toggle(key: string, value: string, on: boolean) {
    const next = new URLSearchParams(params);
    const values = next.getAll(key).filter((v) => v !== value);
    next.delete(key);
    next.delete('after');
    for (const v of on ? [...values, value] : values) next.append(key, v);
    setParams(next);
  }

  const buckets = (facet: (typeof FACETS)[number][0]) => {
    const facets = result?.facets;
    if (!facets) return [];
    if (facet === 'status') return facets.status.map((b) => ({ value: b.status, name: label('PetitionStatus', b.status), count: b.count }));
    if (facet === 'channel') return facets.channel.map((b) => ({ value: b.channel, name: label('Channel', b.channel), count: b.count }));
    if (facet === 'category') return facets.category.map((b) => ({ value: b.category.code, name: b.category.name, count: b.count }));
    return facets.office.map((b) => ({ value: b.office.code, name: b.office.name, count: b.count }));
  };

  return (
    <div>
      <Typography.Title level={3}>检索</Typography.Title>
      <Input.Search
        aria-label="检索词"
        placeholder="反映内容、发生地、被反映对象"
        defaultValue={text}
        enterButton="检索"
        allowClear
        style={{ maxWidth: 560, marginBottom: 16 }}
        onSearch={(q) => setParams(q ? { q } : {})}
      />
      {data && data.searchPetitions === null && <Typography.Text type="warning">{errorMessage('SEARCH_UNAVAILABLE')}</Typography.Text>}
      <ServiceErrors error={error} />
      <Row gutter={16}>
        <Col span={6}>
          {FACETS.map(([facet, key, title]) => (
            <Card key={facet} size="small" title={title} style={{ marginBottom: 12 }}>
              <Space direction="vertical">
                {buckets(facet).map((b) => (
                  <Checkbox key={b.value} checked={params.getAll(key).includes(b.value)} onChange={(e) => toggle(key, b.value, e.target.checked)}>
                    {b.name} ({b.count})
                  </Checkbox>
                ))}
              </Space>
            </Card>
          ))}
        </Col>
        <Col span={18}>
          <Typography.Paragraph data-testid="search-total">共 {result?.totalCount ?? '—'} 件</Typography.Paragraph>
          <List
            loading={loading && !data}
            dataSource={result?.edges.map((e) => e.node)}
            locale={{ emptyText: <Empty description="没有找到" /> }}
            renderItem={(hit) => (
              <List.Item data-testid="search-hit">
                <List.Item.Meta
                  title={
                    <Space>
                      {hit.office.code === office.code ? (
                        <Link to={`/petitions/${encodeURIComponent(hit.petitionId)}`}>{hit.reference}</Link>
                      ) : (
                        hit.reference
                      )}
                      <Tag>{label('PetitionStatus', hit.status)}</Tag>
                      <Tag>{label('Channel', hit.channel)}</Tag>
                      {hit.isRepeat && <Tag color="purple">重复访</Tag>}
                      {hit.isCollective && <Tag color="purple">集体访</Tag>}
                    </Space>
                  }
                  description={`${hit.office.name} · ${hit.category.name} · ${hit.place} · ${dayjs(hit.registeredAt).format('YYYY-MM-DD')}`}
                />
                {hit.highlights.map((h, i) => (
                  <Highlight key={i} html={h} />
                ))}
              </List.Item>
            )}
          />
          <Button disabled={!result?.pageInfo.hasNextPage} onClick={() => {
            const next = new URLSearchParams(params);
            next.set('after', result?.pageInfo.endCursor ?? '');
            setParams(next);
          }}>下一页</Button>
        </Col>
      </Row>
    </div>
  );
}
