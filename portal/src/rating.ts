/**
 * 好差评 (SPEC §4 Ratings and messages, GB/T 39734-2020): the five levels in the contract's words and
 * the rating form's rules, checked before the API checks them again.
 */
export const LEVELS = [
  { level: 5, label: '非常满意' },
  { level: 4, label: '满意' },
  { level: 3, label: '基本满意' },
  { level: 2, label: '不满意' },
  { level: 1, label: '非常不满意' },
] as const

export type Level = (typeof LEVELS)[number]['level']

export const COMMENT_MAX = 200

/** Characters as the API counts them (code points: an emoji is one). */
export const commentLength = (comment: string): number => Array.from(comment).length

export interface RatingProblems {
  level?: string
  comment?: string
}

/** What stops the rating being sent, per field; empty when it may be sent. */
export function ratingProblems(level: number | null, comment: string): RatingProblems {
  const problems: RatingProblems = {}
  if (!LEVELS.some((l) => l.level === level)) problems.level = '请选择满意程度'
  if (commentLength(comment.trim()) > COMMENT_MAX) problems.comment = `评价内容不能超过${COMMENT_MAX}个字`
  return problems
}

/** The body of POST …/rating: an empty comment is left out. */
export function ratingBody(level: Level, comment: string): { level: Level; comment?: string } {
  const text = comment.trim()
  return text ? { level, comment: text } : { level }
}

export const FOLLOW_UP_LABELS: Record<string, string> = { OPEN: '待回访', OVERDUE: '逾期未回访', DONE: '已办结' }
