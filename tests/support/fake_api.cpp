#include "tests/support/fake_api.hpp"

namespace anquanli::test {

namespace asio = boost::asio;

asio::awaitable<bool> recording_code_sender::send(std::string phone, std::string code,
                                                  instant /*at*/) {
  last_code[std::move(phone)] = std::move(code);
  co_return true;
}

void run_to_end(asio::awaitable<void> work) {
  asio::io_context context;
  std::exception_ptr failure;
  asio::co_spawn(context, std::move(work), [&](std::exception_ptr error) { failure = error; });
  context.run();
  if (failure) {
    std::rethrow_exception(failure);
  }
}

fake_api::fake_api(instant start, std::uint64_t seed)
    : clock(start),
      store(config, seed),
      services{config, store, clock, sender, counters},
      system(
          services, [] { return std::string{"disabled"}; }, [this] { return counters.render(); }),
      leaderboards(services, nullptr, redis_up),
      people(services, nullptr, redis_up, leaderboards),
      participants(services, &people),
      office(services),
      history(services),
      practice(services),
      prizes(services),
      reporting(services),
      screen_updates(services),
      screen(services, screen_updates),
      lookup(services),
      routes(api_routes({system, participants, leaderboards, office, history, practice, prizes,
                         people, reporting, screen, lookup},
                        services)) {
  store.seed_directory(sample_regions(), sample_units());
  store.seed_questions(sample_questions(30));
  run_to_end(leaderboards.refresh_directory());
}

const route* fake_api::match(api_request& request) const {
  route_match found = routes.match(request.method, request.path);
  if (found.found != nullptr) {
    request.path_parameters = std::move(found.parameters);
  }
  return found.found;
}

api_response fake_api::run(const route& found, api_request& request) {
  return run_to_end(found.handle(request));
}

}  // namespace anquanli::test
