// What the benches render the compiled screens with (bench/wizard.js,
// bench/browser.js): ink-testing-library and React's createElement from the
// same bundle as the screens, so that there is one React (see bundle-ui.js).
export { render } from 'ink-testing-library';
export { createElement } from 'react';
