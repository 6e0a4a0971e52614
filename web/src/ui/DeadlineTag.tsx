import { Tag, Tooltip } from 'antd';
import { label } from './labels';
import { daysLeft, daysLeftText } from './deadline';

const COLORS: Record<string, string> = { OVERDUE: 'red', DUE_SOON: 'orange', ON_TIME: 'green' };

/** A deadline with the days left, coloured by the API's due state (the API decides "soon"). */
export function DeadlineTag({ due, state, step }: { due: string | null; state: string; step?: string | null }) {
  if (!due) return <Tag>无期限</Tag>;
  const days = daysLeft(due);
  return (
    <Tooltip title={`${step ? label('DueStep', step) + ' ' : ''}期限 ${due}`}>
      <Tag color={COLORS[state]} data-due-state={state}>
        {daysLeftText(days)}
      </Tag>
    </Tooltip>
  );
}
