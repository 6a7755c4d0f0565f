/**
 * 行政区划 (SPEC §4 Regions): `GET /regions` once per page load (public, cacheable), so a citizen picks
 * 太原市 → 小店区 by name and every code on a page reads as its name. The tree is read from
 * `parentCode`: the province is the one without a parent, its children are the cities, theirs the
 * counties and districts.
 */
import { computed, reactive } from 'vue'
import { api, call, type Region } from './client'

const state = reactive<{ regions: Region[]; loaded: boolean; failed: boolean }>({ regions: [], loaded: false, failed: false })
let loading: Promise<void> | null = null

export function loadRegions(): Promise<void> {
  loading ??= call(api.GET('/regions'))
    .then((regions) => {
      state.regions = regions
      state.loaded = true
    })
    .catch(() => {
      state.failed = true
      loading = null // told once (call's message); the next page asks again
    })
  return loading
}

const byCode = computed(() => new Map(state.regions.map((r) => [r.code, r])))
const childrenOf = computed(() => {
  const map = new Map<string, Region[]>()
  for (const r of state.regions) {
    const parent = r.parentCode ?? ''
    map.set(parent, [...(map.get(parent) ?? []), r])
  }
  return map
})
const province = computed(() => childrenOf.value.get('')?.[0] ?? null)
const cities = computed(() => (province.value ? (childrenOf.value.get(province.value.code) ?? []) : []))

/** The region with this code, or undefined (not loaded yet, or not in the province). */
export function regionOf(code: string | null | undefined): Region | undefined {
  return code ? byCode.value.get(code) : undefined
}

/** "太原市小店区" for a county, "太原市" for a city; the code itself while the names are not known. */
export function regionName(code: string | null | undefined): string {
  const region = regionOf(code)
  if (!region) return code ?? ''
  const parent = region.parentCode ? regionOf(region.parentCode) : undefined
  return parent && parent.parentCode ? `${parent.name}${region.name}` : region.name
}

/** The city a county belongs to (itself for a city), for pickers starting from a stored code. */
export function cityOf(code: string): Region | undefined {
  const region = regionOf(code)
  if (!region) return undefined
  if (cities.value.some((c) => c.code === region.code)) return region
  return region.parentCode ? cities.value.find((c) => c.code === region.parentCode) : undefined
}

/**
 * The prefix a `regionCode` filter takes (SPEC §4: 14, 1401, 140105): a city's or the province's
 * code without its trailing zero pairs, a county's whole.
 */
export function regionPrefix(code: string): string {
  const region = regionOf(code)
  if (!region || !region.parentCode) return region ? code.replace(/(00)+$/, '') : code
  const isCity = cities.value.some((c) => c.code === code)
  return isCity ? code.replace(/00$/, '') : code
}

export function useRegions() {
  void loadRegions()
  return {
    state,
    province,
    cities,
    countiesOf: (cityCode: string) => (cityCode ? (childrenOf.value.get(cityCode) ?? []) : []),
  }
}
