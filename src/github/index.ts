import { createApp } from "./app.js";

/** The app function `probot run ./lib/github/index.js` loads. */
export default createApp();
