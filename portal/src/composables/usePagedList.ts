/**
 * A list the API answers a page at a time (`{items, nextCursor}`): the first page again when the
 * filters change, the next one appended on 加载更多, and only the newest answer shown (filters change
 * quickly; an older answer arriving late must not replace a newer one). 我的办件, 我的岗位, 申请人员.
 */
import { ref, type Ref } from 'vue'

export interface Page<T> {
  items: T[]
  nextCursor?: string | null
}

export function usePagedList<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>) {
  const items = ref([]) as Ref<T[]>
  const nextCursor = ref<string | null>(null)
  const loaded = ref(false)
  const loading = ref(false)
  let latest = 0

  /** The first page (or, with `more`, the next one after what is shown). */
  async function load(more = false) {
    loading.value = true
    const mine = ++latest
    try {
      const page = await fetchPage(more ? (nextCursor.value ?? undefined) : undefined)
      if (mine !== latest) return
      items.value = more ? [...items.value, ...page.items] : page.items
      nextCursor.value = page.nextCursor ?? null
    } finally {
      if (mine === latest) {
        loading.value = false
        loaded.value = true
      }
    }
  }

  return { items, nextCursor, loaded, loading, load }
}
