import { createApp } from 'vue'
import { provideGlobalConfig } from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn'
import 'element-plus/dist/index.css'
import './theme.css'
import App from './App.vue'
import { router } from './router'

const app = createApp(App)
// Element Plus's own texts in Chinese, once for the whole app: the components rendered in it and,
// with `global`, the message boxes it opens outside it (撤回确认, 离开确认). What
// `app.use(ElementPlus, {locale})` does, without registering every component.
provideGlobalConfig({ locale: zhCn }, app, true)
app.use(router).mount('#app')
