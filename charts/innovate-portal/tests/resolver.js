// Jest asks for "require" exports; kubernetes-models and its @kubernetes-models/* dependencies only declare
// "import" ones, so for those packages (and only those) resolve with the ES module conditions.
const esmOnlyPackage = /^(@kubernetes-models\/|kubernetes-models(\/|$))/;

module.exports = (request, options) =>
  options.defaultResolver(
    request,
    esmOnlyPackage.test(request)
      ? { ...options, conditions: ['import', 'default'] }
      : options,
  );
