/**
 * The manual's screens. Client paths never collide with the API's (/auth, /me, /positions,
 * /attachments, /applications, /review, /manage): the local run and CloudFront send every other
 * path to index.html.
 */
import { createRouter, createWebHistory } from 'vue-router'
import { loginUrl } from './api/client'
import { refreshMe, session } from './session'

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'home', component: () => import('./views/HomeView.vue'), meta: { title: '首页' } },
    {
      path: '/services',
      name: 'services',
      component: () => import('./views/ServicesView.vue'),
      meta: { title: '个人办事' },
    },
    {
      path: '/services/internship',
      name: 'positions',
      component: () => import('./views/PositionsView.vue'),
      meta: { title: '就业见习人员申请 · 见习岗位查询', login: true },
    },
    {
      path: '/services/internship/apply/:positionId',
      name: 'apply',
      component: () => import('./views/ApplyView.vue'),
      meta: { title: '就业见习人员申请', login: true },
    },
    {
      path: '/center',
      name: 'center',
      component: () => import('./views/CenterView.vue'),
      meta: { title: '个人中心 · 未审核', login: true },
    },
    {
      path: '/center/cases',
      name: 'cases',
      component: () => import('./views/CasesView.vue'),
      meta: { title: '个人中心 · 我的办件', login: true },
    },
    {
      path: '/center/cases/:applicationId',
      name: 'case',
      component: () => import('./views/CaseView.vue'),
      meta: { title: '个人中心 · 办件详情', login: true },
    },
    { path: '/:rest(.*)*', name: 'missing', component: () => import('./views/MissingView.vue'), meta: { title: '页面不存在' } },
  ],
  scrollBehavior: () => ({ top: 0 }),
})

router.beforeEach(async (to) => {
  if (!session.checked) await refreshMe()
  if (to.meta.login && !session.me) {
    window.location.assign(loginUrl(to.fullPath))
    return false
  }
  return true
})

router.afterEach((to) => {
  document.title = `${String(to.meta.title ?? '')} - 山西省人社公共服务平台个人网厅`
})
