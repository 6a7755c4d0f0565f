/**
 * 就业创业证 online (SPEC §4 Registrations, issue 25): the bodies of 资格自查 (GET /me/eligibility) and
 * of 求职登记 / 失业登记 (POST /registrations, GET /registrations), typed from the contract's paths like
 * client.ts's, and their Chinese words.
 */
import type { paths } from './schema'

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never
type Success<R> = Json<R[Extract<keyof R, 200 | 201>]>

export type Eligibility = Success<paths['/me/eligibility']['get']['responses']>
export type EligibilityPath = Eligibility['paths'][number]
export type Certificate = NonNullable<Eligibility['certificate']>
export type RegistrationRequest = Json<NonNullable<paths['/registrations']['post']['requestBody']>>
export type RegistrationAnswer = Success<paths['/registrations']['post']['responses']>
export type RegistrationPage = Success<paths['/registrations']['get']['responses']>
export type RegistrationSummary = RegistrationPage['items'][number]
export type RegistrationKind = RegistrationRequest['kind']

export const REGISTRATION_KINDS: readonly RegistrationKind[] = ['JOB_SEEKING', 'UNEMPLOYMENT']

/** The registration's name as the service calls it (its `kindLabel`). */
export const REGISTRATION_LABELS: Record<RegistrationKind, string> = {
  JOB_SEEKING: '求职登记',
  UNEMPLOYMENT: '失业登记',
}

/** Who each registration is for, in the words of the service's rules. */
export const REGISTRATION_FOR: Record<RegistrationKind, string> = {
  JOB_SEEKING: '离校2年内未就业的高校毕业生、中职毕业生和留学回国人员',
  UNEMPLOYMENT: '16-24周岁的失业青年',
}

export function isRegistrationKind(value: unknown): value is RegistrationKind {
  return REGISTRATION_KINDS.includes(value as RegistrationKind)
}

/** A registration's own page (GET /registrations/{registrationId}): form, attachments, history, certificate. */
export type RegistrationDetail = Success<paths['/registrations/{registrationId}']['get']['responses']>
