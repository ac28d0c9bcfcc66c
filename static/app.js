// Redress front-end bootstrap (ES module, CSP-safe: no inline script/style).
// Load after htmx:
//   <script src="/static/htmx/htmx-2.0.11.min.js" defer></script>
//   <script type="module" src="/static/app.js"></script>
// When GOV.UK Frontend is upgraded, update the versioned import below.
import { initAll } from './govuk/govuk-frontend-6.6.0.min.js'

const body = document.body

// 1. Replaces GOV.UK Frontend's inline body script (blocked by our CSP).
//    initAll() checks for `govuk-frontend-supported`, so this must run first.
body.classList.add('js-enabled', 'govuk-frontend-supported')

// 2. Initialise GOV.UK Frontend components in the whole page.
initAll()

// 2a. Follow-up questions revealed by a radio or checkbox, in place of GOV.UK's conditional
//     reveal: GOV.UK's also sets `aria-expanded` on the input, which ARIA 1.2 does not allow
//     on radios and checkboxes (axe: aria-allowed-attr; govuk-frontend issue 979), and we
//     want no axe violations. Markup: the input has `data-reveals="<id of the block>"` and its
//     group has no GOV.UK data-module. The block is shown in the HTML; only this script hides
//     it, so without JavaScript every follow-up question stays visible.
const revealers = (scope) => scope.querySelectorAll('input[data-reveals]')

const syncReveal = (input) => {
  const block = document.getElementById(input.getAttribute('data-reveals'))
  if (!block) {
    return
  }
  // aria-controls (a global attribute) only once the block can actually be hidden.
  input.setAttribute('aria-controls', block.id)
  const hidden = block.classList.contains('govuk-checkboxes__conditional')
    ? 'govuk-checkboxes__conditional--hidden'
    : 'govuk-radios__conditional--hidden'
  block.classList.toggle(hidden, !input.checked)
}

const syncReveals = (scope) => revealers(scope).forEach(syncReveal)

syncReveals(document)

// Choosing a radio unchecks the others without a change event on them, so on any change
// re-sync every revealer in the same form (or page). Listening on document also covers
// content htmx swaps in later.
document.addEventListener('change', (event) => {
  const input = event.target
  if (input instanceof HTMLInputElement && (input.type === 'radio' || input.type === 'checkbox')) {
    syncReveals(input.form || document)
  }
})

// Back/forward may restore a page from the cache with different inputs checked.
window.addEventListener('pageshow', () => syncReveals(document))

// 3. htmx under a strict CSP. The authoritative settings are in
//    <meta name="htmx-config"> (read by htmx when it initialises); repeat them
//    here in case the meta tag is missing. Both htmx (defer) and this module
//    run before DOMContentLoaded, i.e. before htmx reads config and would
//    inject its indicator <style>.
if (window.htmx) {
  window.htmx.config.includeIndicatorStyles = false
  window.htmx.config.allowEval = false
  window.htmx.config.historyCacheSize = 0
  // Error statuses are swapped too: the server retargets them to the whole body
  // (web/htmx.rs), so an error never half-replaces a page or goes unseen.
  window.htmx.config.responseHandling = [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '[45]..', swap: true, error: true },
    { code: '...', swap: false }
  ]
}

// Send the CSRF token with every htmx request. Listener is on document, so it
// works whether or not htmx has loaded yet.
document.addEventListener('htmx:configRequest', (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]')
  const token = meta && meta.getAttribute('content')
  if (token) {
    event.detail.headers['X-CSRF-Token'] = token
  }
})

// 4. Re-initialise GOV.UK Frontend components in content htmx has swapped in.
//    `htmx:load` fires on each newly inserted element (and once on <body> at
//    start-up, which initAll() above already covered). GOV.UK's initAll only
//    searches *descendants* of the scope, so scope to the parent to include the
//    new element itself; components that are already initialised throw an
//    InitError, which we ignore.
const ignoreAlreadyInitialised = (error) => {
  if (!error || error.name !== 'InitError') {
    console.log(error)
  }
}

document.addEventListener('htmx:load', (event) => {
  const elt = event.target
  if (!(elt instanceof Element) || elt === body) {
    return
  }
  initAll({ scope: elt.parentElement || elt, onError: ignoreAlreadyInitialised })
  syncReveals(elt.parentElement || elt)
})

// 5. Work lists: after htmx swaps the results, announce the new count in the page's
//    live region (a region inserted with the new content would not be announced).
document.addEventListener('htmx:afterSwap', (event) => {
  const target = event.detail && event.detail.target
  if (!(target instanceof Element) || target.id !== 'case-results') {
    return
  }
  const status = document.getElementById('case-results-status')
  const count = target.querySelector('[data-results-count]')
  if (status && count) {
    status.textContent = count.textContent.trim()
  }
})

// 6. Work lists' bulk selection (issue 24). Without JavaScript each row's box is ticked and
//    the "Act on the ticked cases" button sends them. With it, a box in the header ticks
//    every row on the page, and the button says how many are ticked.
const syncSelection = () => {
  const boxes = Array.from(document.querySelectorAll('input[name="case"][form="bulk-select"]'))
  const all = document.getElementById('select-page')
  const wrapper = document.querySelector('[data-select-all]')
  if (wrapper) {
    wrapper.hidden = boxes.length === 0
    const label = document.querySelector('[data-select-label]')
    if (label) label.hidden = true
  }
  const ticked = boxes.filter((b) => b.checked).length
  if (all) {
    all.checked = boxes.length > 0 && ticked === boxes.length
    all.indeterminate = ticked > 0 && ticked < boxes.length
  }
  const count = document.querySelector('#act-on-ticked .app-ticked-count')
  if (count) {
    count.textContent = ticked > 0 ? ` (${ticked})` : ''
  }
}

document.addEventListener('change', (event) => {
  const input = event.target
  if (!(input instanceof HTMLInputElement)) return
  if (input.id === 'select-page') {
    document
      .querySelectorAll('input[name="case"][form="bulk-select"]')
      .forEach((b) => { b.checked = input.checked })
    syncSelection()
  } else if (input.name === 'case' && input.getAttribute('form') === 'bulk-select') {
    syncSelection()
  }
})
document.addEventListener('htmx:afterSwap', syncSelection)
window.addEventListener('pageshow', syncSelection)
syncSelection()

// 7. The decision form: once every complaint point has a finding, the overall outcome is
//    ticked from them (all the same finding: that one; a mix: partly upheld, from
//    `data-outcome-mixed`), until the person chooses the outcome themselves or one was
//    already saved. Without JavaScript they tick it.
const outcomeChosen = new WeakSet()
document.querySelectorAll('[data-outcome-mixed] input[name="outcome"]:checked').forEach((r) => {
  if (r.form) outcomeChosen.add(r.form)
})

document.addEventListener('change', (event) => {
  const input = event.target
  if (!(input instanceof HTMLInputElement) || input.type !== 'radio' || !input.form) return
  const form = input.form
  const group = form.querySelector('[data-outcome-mixed]')
  if (!group) return
  if (input.name === 'outcome') {
    outcomeChosen.add(form)
    return
  }
  if (!input.name.startsWith('finding_') || outcomeChosen.has(form)) return
  const names = new Set(
    Array.from(form.querySelectorAll('input[type="radio"][name^="finding_"]')).map((r) => r.name)
  )
  const findings = Array.from(names).map((name) => {
    const ticked = Array.from(form.querySelectorAll('input[type="radio"]:checked'))
      .find((r) => r.name === name)
    return ticked ? ticked.value : null
  })
  if (findings.length === 0 || findings.includes(null)) return
  const outcome = findings.every((f) => f === findings[0])
    ? findings[0]
    : group.getAttribute('data-outcome-mixed')
  group.querySelectorAll('input[name="outcome"]').forEach((r) => {
    r.checked = r.value === outcome
  })
})
