// Swagger UI, driven as a person would: try the list of todos without a token, paste one under
// Authorize, try again. Returns both statuses. Values go through the input's native setter, so that
// React sees the change. Evaluated by test_swagger_ui.py as `(<this function>)(token)`.
(async (token) => {
  const wait = async (find) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const found = find();
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("not found: " + find);
  };
  const button = (root, text) => [...root.querySelectorAll("button")].find((b) => b.textContent.trim() === text);
  const list = await wait(() => document.querySelector('.opblock-get [data-path="/v1/todo"]'));
  const operation = list.closest(".opblock");
  list.click();
  (await wait(() => operation.querySelector(".try-out__btn"))).click();
  const status = async () => {
    const old = operation.querySelector(".live-responses-table tr.response .response-col_status");
    if (old) button(operation, "Clear").click();
    (await wait(() => operation.querySelector(".execute"))).click();
    return (await wait(() => operation.querySelector(".live-responses-table tr.response .response-col_status"))).textContent;
  };
  const without = await status();
  document.querySelector(".btn.authorize").click();
  const scheme = await wait(() =>
    [...document.querySelectorAll(".modal-ux .auth-container")].find((c) => c.textContent.includes("bearerAuth")));
  const input = scheme.querySelector("input");
  Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(input, token);
  input.dispatchEvent(new Event("input", { bubbles: true }));
  button(scheme, "Authorize").click();
  await wait(() => button(scheme, "Logout"));
  document.querySelector(".modal-ux .close-modal").click();
  const code = (text) => text.trim().split(/\s/)[0];
  return [code(without), code(await status())];
})
