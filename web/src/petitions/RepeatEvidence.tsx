import { Tag, Typography } from 'antd';
import type { RepeatReason } from '../graphql/graphql';
import { label } from '../ui/labels';

/** 理由 of a repeat candidate: its reason tags, then the evidence in words (`explanation`, e.g.
 * 同一人: 身份证号) one line each, cut to the column with the whole line in a tooltip. The API
 * blanks both for a petition this office may not see; the cell then says only that it has none,
 * and a candidate with no tag but evidence in words still shows why it was flagged. */
export function RepeatEvidence({ reasons, explanation }: { reasons: readonly RepeatReason[]; explanation: readonly string[] }) {
  if (!reasons.length && !explanation.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <div data-testid="repeat-evidence" style={{ maxWidth: 320 }}>
      {reasons.map((r) => (
        <Tag key={r}>{label('RepeatReason', r)}</Tag>
      ))}
      {explanation.map((line, i) => (
        <Typography.Text key={i} type="secondary" ellipsis={{ tooltip: line }} style={{ display: 'block', fontSize: 12 }}>
          {line}
        </Typography.Text>
      ))}
    </div>
  );
}
