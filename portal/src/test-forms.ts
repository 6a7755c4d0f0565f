/** A complete form of a college graduate, valid on 2025-03-15, for the vitest files (*.test.ts). */
import type { FormValues } from './rules'

export const GRADUATE_FORM: FormValues = {
  personCategory: 'COLLEGE_GRADUATE',
  phone: '13812345678',
  educationLevel: '本科',
  school: '山西大学',
  major: '软件工程',
  graduationDate: '2024-07',
  householdRegionCode: '140105',
  address: '太原市小店区体育路1号',
  employmentCertificateNo: '1401050012345',
  startDate: '2025-04-01',
  endDate: '2025-10-01',
}
