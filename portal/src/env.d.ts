/// <reference types="vite/client" />
declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
interface ImportMetaEnv {
  /** Where the API answers; empty (the default) means the portal's own origin. */
  readonly VITE_API_BASE?: string
}
