/**
 * ARIA on controls a component library renders. Element Plus's date picker hands the attributes it
 * is given to its popper, not to its input, and its upload trigger takes none: so the labelled
 * field sets them on the element itself, by id, after each render (the same path for every kind of
 * control, native ones included).
 */
export function setAria(element: Element | null, attributes: Record<string, string | null | undefined>): void {
  if (!element) return
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === '') element.removeAttribute(name)
    else if (element.getAttribute(name) !== value) element.setAttribute(name, value)
  }
}

const FOCUSABLE = 'input:not([type=hidden]), select, textarea, button, [role=button], [tabindex]:not([tabindex="-1"])'

/**
 * Move focus to the control with this id (or the first control inside it) and bring it into view:
 * what a link of the error summary does (GOV.UK error summary pattern).
 */
export function focusControl(id: string): boolean {
  const target = document.getElementById(id)
  if (!target) return false
  const control = target.matches(FOCUSABLE) ? target : target.querySelector<HTMLElement>(FOCUSABLE)
  const element = control ?? target
  // The label sits above its control: scroll so the citizen sees the question, not just the box.
  const label = document.querySelector(`label[for="${CSS.escape(element.id)}"]`) ?? element
  label.scrollIntoView({ block: 'center' })
  element.focus({ preventScroll: true })
  return true
}
