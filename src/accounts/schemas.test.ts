import assert from "node:assert/strict";
import { test } from "node:test";
import { Ao3LoginInput, fromAo3Login, LoginInput, PseudName, SignupInput } from "./schemas.ts";

const ok = {
  login: "reader_1",
  email: "r@example.org",
  password: "long enough pass",
  password_confirmation: "long enough pass",
  terms_of_service: "1",
};

test("usernames: 3–40 letters, digits or _", () => {
  for (const login of ["abc", "A_b_9", "x".repeat(40)])
    assert.ok(SignupInput.safeParse({ ...ok, login }).success, login);
  for (const login of ["ab", "x".repeat(41), "with space", "dash-name", "émile", "a.b"]) {
    assert.equal(SignupInput.safeParse({ ...ok, login }).success, false, login);
  }
});

test("usernames: login and logout are AO3's pages under /users/, in any case", () => {
  for (const login of ["login", "Logout", "LOGIN"])
    assert.equal(SignupInput.safeParse({ ...ok, login }).success, false, login);
  for (const login of ["login_", "logouts", "my_login"])
    assert.ok(SignupInput.safeParse({ ...ok, login }).success, login);
});

test("log-in forms: AO3's user[...] fields read as Fanfold's; Rails' check box, last wins", () => {
  const ao3 = fromAo3Login(
    Ao3LoginInput.parse({
      "user[login]": " reader ",
      "user[password]": "pw",
      "user[remember_me]": ["0", "1"],
      commit: "Log in",
    }),
  );
  assert.deepEqual(ao3, {
    login: "reader",
    password: "pw",
    remember_me: true,
    return_to: undefined,
  });
  const remember = (v?: string | string[]) =>
    LoginInput.parse({ login: "a", password: "b", remember_me: v }).remember_me;
  assert.equal(remember(undefined), false);
  assert.equal(remember("1"), true);
  assert.equal(remember("on"), true);
  assert.equal(remember("0"), false);
  assert.equal(remember(["1", "0"]), false);
  const missing = Ao3LoginInput.safeParse({ "user[login]": "reader" });
  assert.equal(missing.success, false);
  assert.deepEqual(
    missing.error?.issues.map((i) => i.path.join(".")),
    ["user[password]"],
  );
});

test("passwords: 10+ characters, not common, not the username, confirmed", () => {
  const pw = (password: string, extra = {}) =>
    SignupInput.safeParse({ ...ok, password, password_confirmation: password, ...extra });
  assert.equal(pw("123456789").success, false);
  assert.equal(pw("qwertyuiop").success, false);
  assert.equal(pw("PASSWORD123").success, false);
  assert.equal(pw("reader_1reader", { login: "reader_1reader" }).success, false);
  assert.equal(
    SignupInput.safeParse({ ...ok, password_confirmation: "other other" }).success,
    false,
  );
  assert.equal(pw("correct horse battery").success, true);
});

test("pseud names allow letters in any script, digits, spaces, _ and -", () => {
  for (const name of ["Ink Blot", "Élodie", "夜の猫", "a-b_c 1"])
    assert.ok(PseudName.safeParse(name).success, name);
  for (const name of ["", "<b>", "x".repeat(41), "   ", "__"])
    assert.equal(PseudName.safeParse(name).success, false, name);
});
