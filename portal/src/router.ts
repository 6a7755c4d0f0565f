/**
 * The manual's screens. Client paths never collide with the API's (/auth, /me, /positions,
 * /regions, /attachments, /applications, /review, /manage, /verify): the local run and CloudFront send
 * every other path to index.html.
 *
 * Each route's meta names the page (`title`: the tab's title and the breadcrumb's last item), the
 * page one level up (`parent`: the breadcrumb, AppBreadcrumb.vue) and whether it needs a login.
 * A new screen adds a route here and is in the breadcrumb and the title at once.
 */
import { nextTick } from 'vue'
import { createRouter, createWebHistory } from 'vue-router'
import { loginUrl } from './api/client'
import { refreshMe, session } from './session'

declare module 'vue-router' {
  interface RouteMeta {
    /** The page's name: the tab's title and the breadcrumb's last item. */
    title: string
    /** The route one level up in the breadcrumb (its name); none for 首页. */
    parent?: string
    /** Only for a logged-in citizen: the unified auth first, back here afterwards. */
    login?: boolean
    /** The breadcrumb link up to this page keeps the query (重新申报's copyFrom). */
    keepQuery?: boolean
    /** Only for a logged-in host unit (单位中心): 单位登录 first, back here afterwards. */
    unit?: boolean
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: 'home', component: () => import('./views/HomeView.vue'), meta: { title: '首页' } },
    {
      path: '/services',
      name: 'services',
      component: () => import('./views/ServicesView.vue'),
      meta: { title: '个人办事', parent: 'home' },
    },
    {
      path: '/services/internship',
      name: 'positions',
      component: () => import('./views/PositionsView.vue'),
      meta: { title: '就业见习人员申请', parent: 'services' },
    },
    {
      path: '/services/internship/positions/:positionId',
      name: 'position',
      component: () => import('./views/PositionView.vue'),
      meta: { title: '岗位详情', parent: 'positions' },
    },
    {
      path: '/services/internship/apply/:positionId',
      name: 'apply',
      component: () => import('./views/ApplyView.vue'),
      meta: { title: '填写申请', parent: 'positions', login: true, keepQuery: true },
    },
    {
      path: '/services/internship/apply/:positionId/check',
      name: 'check',
      component: () => import('./views/CheckView.vue'),
      meta: { title: '核对信息', parent: 'apply', login: true },
    },
    {
      path: '/services/internship/submitted/:applicationId',
      name: 'submitted',
      component: () => import('./views/SubmittedView.vue'),
      meta: { title: '申请已提交', parent: 'positions', login: true },
    },
    {
      path: '/services/eligibility',
      name: 'eligibility',
      component: () => import('./views/EligibilityView.vue'),
      meta: { title: '资格自查', parent: 'services', login: true },
    },
    {
      path: '/services/registration/:kind(JOB_SEEKING|UNEMPLOYMENT)',
      name: 'register',
      component: () => import('./views/RegistrationView.vue'),
      meta: { title: '申领就业创业证', parent: 'eligibility', login: true },
    },
    {
      path: '/center',
      name: 'center',
      component: () => import('./views/CenterView.vue'),
      meta: { title: '个人中心', parent: 'home', login: true },
    },
    {
      path: '/center/cases',
      name: 'cases',
      component: () => import('./views/CasesView.vue'),
      meta: { title: '我的办件', parent: 'center', login: true },
    },
    {
      path: '/center/cases/:applicationId',
      name: 'case',
      component: () => import('./views/CaseView.vue'),
      meta: { title: '办件详情', parent: 'cases', login: true },
    },
    {
      path: '/center/registrations/:registrationId',
      name: 'registration',
      component: () => import('./views/RegistrationCaseView.vue'),
      meta: { title: '登记详情', parent: 'cases', login: true },
    },
    {
      path: '/center/messages',
      name: 'messages',
      component: () => import('./views/MessagesView.vue'),
      meta: { title: '我的消息', parent: 'center', login: true },
    },
    // 单位中心 (a host unit's session, 单位登录): under /org, as /unit/* is the API's.
    {
      path: '/org',
      name: 'unit',
      redirect: '/org/positions',
      meta: { title: '单位中心', parent: 'home', unit: true },
    },
    {
      path: '/org/positions',
      name: 'unit-positions',
      component: () => import('./views/UnitPositionsView.vue'),
      meta: { title: '我的岗位', parent: 'unit', unit: true },
    },
    {
      path: '/org/positions/new',
      name: 'unit-position-new',
      component: () => import('./views/UnitPositionFormView.vue'),
      meta: { title: '新增岗位', parent: 'unit-positions', unit: true },
    },
    {
      path: '/org/positions/:positionId/edit',
      name: 'unit-position-edit',
      component: () => import('./views/UnitPositionFormView.vue'),
      meta: { title: '编辑岗位', parent: 'unit-positions', unit: true },
    },
    {
      path: '/org/applications',
      name: 'unit-applications',
      component: () => import('./views/UnitApplicationsView.vue'),
      meta: { title: '申请人员', parent: 'unit', unit: true },
    },
    {
      // 申请表核验: what the QR code printed on the 申请表 opens (<origin>/verification/<业务流水号>?v=<核验码>);
      // no login. The API's path is /verify/{referenceNo}.
      path: '/verification/:referenceNo?',
      name: 'verification',
      component: () => import('./views/VerifyView.vue'),
      props: (r) => ({
        referenceNo: typeof r.params.referenceNo === 'string' ? r.params.referenceNo : '',
        code: typeof r.query.v === 'string' ? r.query.v : '',
      }),
      meta: { title: '申请表核验', parent: 'home' },
    },
    { path: '/:rest(.*)*', name: 'missing', component: () => import('./views/MissingView.vue'), meta: { title: '页面不存在', parent: 'home' } },
  ],
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
})

router.beforeEach(async (to) => {
  if (!session.checked) await refreshMe()
  // A host unit's session is offered the 单位中心, never a citizen's pages; a citizen's never the unit's.
  if (to.meta.unit && !session.unit) {
    window.location.assign(loginUrl(to.fullPath, 'unit'))
    return false
  }
  if (to.meta.login && session.unit) return { name: 'unit-positions' }
  if (to.meta.login && !session.me) {
    window.location.assign(loginUrl(to.fullPath))
    return false
  }
  return true
})

let first = true
router.afterEach((to) => {
  document.title = `${to.meta.title} - 山西省人社公共服务平台个人网厅`
  // A new page: focus goes to its content, as a page load would put a screen reader there.
  if (!first && !to.hash) void nextTick(() => document.getElementById('main')?.focus({ preventScroll: true }))
  first = false
})
