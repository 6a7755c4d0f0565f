/** The main menu (主导航), in the manual's words. A new area of the portal adds its item here. */
export interface MenuItem {
  to: string
  text: string
  /** Active only on this very path (首页), not on the paths under it. */
  exact?: boolean
}

export const MENU: MenuItem[] = [
  { to: '/', text: '首页', exact: true },
  { to: '/services', text: '个人办事' },
  { to: '/center', text: '个人中心' },
]
