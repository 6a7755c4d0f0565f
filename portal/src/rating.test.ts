import { describe, expect, it } from 'vitest'
import { COMMENT_MAX, LEVELS, commentLength, ratingBody, ratingProblems } from './rating'

describe('the rating form', () => {
  it('offers the five levels of the contract, best first', () => {
    expect(LEVELS.map((l) => `${l.level} ${l.label}`)).toEqual(['5 非常满意', '4 满意', '3 基本满意', '2 不满意', '1 非常不满意'])
  })

  it('asks for a level and nothing else when the comment is left out', () => {
    expect(ratingProblems(null, '')).toEqual({ level: '请选择满意程度' })
    expect(ratingProblems(2, '')).toEqual({})
    expect(ratingProblems(6, '')).toEqual({ level: '请选择满意程度' })
  })

  it('takes a comment of 200 characters, counted as the API counts them, and refuses 201', () => {
    expect(ratingProblems(4, '好'.repeat(COMMENT_MAX))).toEqual({})
    expect(ratingProblems(4, '😀'.repeat(COMMENT_MAX))).toEqual({})
    expect(commentLength('😀')).toBe(1)
    expect(ratingProblems(4, '好'.repeat(COMMENT_MAX + 1))).toEqual({ comment: '评价内容不能超过200个字' })
  })

  it('sends the comment trimmed, and none when it is blank', () => {
    expect(ratingBody(2, '  原因看不懂 ')).toEqual({ level: 2, comment: '原因看不懂' })
    expect(ratingBody(5, '   ')).toEqual({ level: 5 })
  })
})
