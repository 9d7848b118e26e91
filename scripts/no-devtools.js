// Stands in for react-devtools-core, which Ink imports only when DEV=true (see bundle-ui.js).
export default { initialize() {}, connectToDevTools() {} };
