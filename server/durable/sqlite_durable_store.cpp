#include "server/durable/sqlite_durable_store.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <mutex>

#include "question_bank/question_store.hpp"
#include "server/durable/password_checker.hpp"
#include "server/durable/token_cache.hpp"
#include "server/store/competition_store.hpp"
#include "server/store/schema.hpp"

namespace anquanli {

namespace asio = boost::asio;

namespace {

// Carries one piece of work to the writer and its result back to the awaiting coroutine.
template <class Result, class Work, class Handler>
class bridged_job final : public writer_job {
 public:
  bridged_job(Work work, Handler handler) : work_(std::move(work)), handler_(std::move(handler)) {}

  bool run(sqlite_database& database) override {
    try {
      result_ = work_(database);
      return true;
    } catch (...) {
      error_ = std::current_exception();
      return false;
    }
  }
  void fail(std::exception_ptr error) override { error_ = error; }
  void complete() override {
    auto executor = asio::get_associated_executor(handler_);
    asio::post(executor, [handler = std::move(handler_), error = error_,
                          result = std::move(result_)]() mutable {
      std::move(handler)(wrap(error), std::move(result));
    });
  }

 private:
  static std::exception_ptr wrap(const std::exception_ptr& error) {
    if (!error) {
      return nullptr;
    }
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& failure) {
      return std::make_exception_ptr(store_unavailable(failure.what()));
    } catch (...) {
      return std::make_exception_ptr(store_unavailable("unknown storage failure"));
    }
  }

  Work work_;
  Handler handler_;
  Result result_{};
  std::exception_ptr error_;
};

}  // namespace

struct sqlite_durable_store::state {
  const server_config& config;
  const secrets& keys;
  std::filesystem::path file;
  open_attempts open;  // before the writer, which reports to it
  sqlite_writer writer;
  asio::thread_pool readers;
  asio::thread_pool scans{1};  // the whole-ledger aggregates, apart from the readers
  password_checker passwords;
  token_cache tokens;
  std::mutex bank_mutex;
  std::shared_ptr<const std::vector<question>> bank = std::make_shared<std::vector<question>>();

  state(const server_config& configuration, const secrets& secret_keys, const time_source& clock,
        int reader_threads)
      : config(configuration),
        keys(secret_keys),
        file(configuration.data_dir / "anquanli.db"),
        writer(file, configuration.sqlite_synchronous, clock),
        readers(static_cast<std::size_t>(reader_threads)),
        tokens(configuration.token_cache_entries) {
    writer.observe(&open);
  }

  std::shared_ptr<const std::vector<question>> current_bank() {
    const std::lock_guard lock(bank_mutex);
    return bank;
  }

  // Each reader thread keeps one connection per database file.
  sqlite_database& reader_connection() {
    thread_local std::map<std::filesystem::path, std::unique_ptr<sqlite_database>> connections;
    auto& connection = connections[file];
    if (!connection) {
      connection = std::make_unique<sqlite_database>(file, open_mode::read_only);
    }
    return *connection;
  }

  // For queries, on any thread: reads the attempts it needs from the database.
  competition_store store_on(sqlite_database& database) {
    return competition_store(database, config.competition, keys, config.auth);
  }
  // For changes, on the writer thread only: keeps open attempts in memory between answers.
  competition_store writer_store(sqlite_database& database) {
    return competition_store(database, config.competition, keys, config.auth, &open);
  }

  [[nodiscard]] bool backed_up(load_priority priority = load_priority::continues_work) const {
    if (priority == load_priority::begins_work) {
      return writer.behind(std::max<std::size_t>(config.max_write_queue / 2, 1),
                           config.max_write_wait_new);
    }
    return writer.behind(config.max_write_queue, config.max_write_wait);
  }

  template <class Result, class Work>
  asio::awaitable<Result> write(Work work) {
    if (backed_up()) {
      throw store_overloaded("the writer's queue is full");
    }
    co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&,
                                            void(std::exception_ptr, Result)>(
        [this, &work](auto handler) {
          using job = bridged_job<Result, Work, decltype(handler)>;
          writer.submit(std::make_unique<job>(std::move(work), std::move(handler)));
        },
        asio::use_awaitable);
  }

  template <class Result, class Work>
  asio::awaitable<Result> read(Work work) {
    return read_on<Result>(readers, std::move(work));
  }
  // For queries that scan the whole ledger: on their own thread, never ahead of a quick read.
  template <class Result, class Work>
  asio::awaitable<Result> scan(Work work) {
    return read_on<Result>(scans, std::move(work));
  }

  template <class Result, class Work>
  asio::awaitable<Result> read_on(asio::thread_pool& pool, Work work) {
    co_return co_await asio::async_initiate<const asio::use_awaitable_t<>&,
                                            void(std::exception_ptr, Result)>(
        [this, &pool, &work](auto handler) {
          auto job = std::make_shared<bridged_job<Result, Work, decltype(handler)>>(
              std::move(work), std::move(handler));
          asio::post(pool, [this, job] {
            try {
              job->run(reader_connection());
            } catch (...) {
              job->fail(std::current_exception());
            }
            job->complete();
          });
        },
        asio::use_awaitable);
  }
};

sqlite_durable_store::sqlite_durable_store(const server_config& config, const secrets& keys,
                                           const time_source& clock, int reader_threads) {
  {
    sqlite_database setup(config.data_dir / "anquanli.db", open_mode::read_write_create,
                          config.sqlite_synchronous);
    apply_migrations(setup, database_migrations());
    competition_store store(setup, config.competition, keys, config.auth);
    sqlite_transaction transaction(setup);
    store.sync_prizes(config.prizes);
    // Verifiable draws (issue 16): every day of the window has its seed committed in advance,
    // and the prize table the draws will use is on record.
    draw_commitments commitments(setup, keys);
    commitments.ensure_seeds(config.competition.starts_on, config.competition.ends_on, clock.now());
    commitments.prize_table_in_effect(clock.now());
    transaction.commit();
  }
  state_ = std::make_unique<state>(config, keys, clock, reader_threads);
  sqlite_database loader(state_->file, open_mode::read_only);
  question_store questions(loader);
  state_->bank = std::make_shared<std::vector<question>>(questions.list({}));
}

bool sqlite_durable_store::writes_backed_up(load_priority priority) const {
  return state_->backed_up(priority);
}

sqlite_durable_store::~sqlite_durable_store() {
  stop();
}

void sqlite_durable_store::stop() {
  state_->passwords.stop();
  state_->writer.stop();
  state_->readers.join();
  state_->scans.join();
}

writer_stats sqlite_durable_store::stats() const {
  return state_->writer.stats();
}

durable_store::awaitable_code sqlite_durable_store::request_code(std::string phone,
                                                                 std::string address, instant now) {
  return state_->write<code_request_result>(
      [this, phone = std::move(phone), address = std::move(address), now](sqlite_database& db) {
        return state_->writer_store(db).request_code(phone, address, now);
      });
}

asio::awaitable<login_result> sqlite_durable_store::login(std::string phone, std::string code,
                                                          std::string address, instant now) {
  login_result result =
      co_await write_login(std::move(phone), std::move(code), std::move(address), now);
  if (result.outcome == login_outcome::signed_in) {
    // Committed: the token is in the database, so the cache may answer for it.
    state_->tokens.remember(state_->keys.keyed_hash("token", result.token), result.participant,
                            result.expires_at, now);
  }
  co_return result;
}

asio::awaitable<login_result> sqlite_durable_store::write_login(std::string phone, std::string code,
                                                                std::string address, instant now) {
  return state_->write<login_result>([this, phone = std::move(phone), code = std::move(code),
                                      address = std::move(address), now](sqlite_database& db) {
    return state_->writer_store(db).login(phone, code, address, now);
  });
}

// A hit answers on the calling I/O thread; a miss asks a reader and remembers what it found.
asio::awaitable<std::optional<participant_id>> sqlite_durable_store::authenticate(std::string token,
                                                                                  instant now) {
  std::string token_hash = state_->keys.keyed_hash("token", token);
  if (const auto hit = state_->tokens.find(token_hash, now)) {
    co_return hit;
  }
  const std::optional<token_holder> found = co_await read_token(token_hash, now);
  if (!found) {
    co_return std::nullopt;
  }
  state_->tokens.remember(token_hash, found->who, found->expires_at, now);
  co_return found->who;
}

asio::awaitable<std::optional<token_holder>> sqlite_durable_store::read_token(
    std::string token_hash, instant now) {
  return state_->read<std::optional<token_holder>>(
      [this, token_hash = std::move(token_hash), now](sqlite_database& db) {
        return state_->store_on(db).find_token(token_hash, now);
      });
}

asio::awaitable<profile_outcome> sqlite_durable_store::update_profile(
    participant_id who, std::string name, std::string region_code,
    std::optional<std::string> unit_id) {
  return state_->write<profile_outcome>([this, who, name = std::move(name),
                                         region_code = std::move(region_code),
                                         unit_id = std::move(unit_id)](sqlite_database& db) {
    return state_->writer_store(db).update_profile(who, name, region_code, unit_id);
  });
}

asio::awaitable<std::optional<profile>> sqlite_durable_store::load_profile(participant_id who) {
  return state_->read<std::optional<profile>>(
      [this, who](sqlite_database& db) { return state_->store_on(db).load_profile(who); });
}

asio::awaitable<me_view> sqlite_durable_store::me(participant_id who, instant now) {
  return state_->read<me_view>(
      [this, who, now](sqlite_database& db) { return state_->store_on(db).me(who, now); });
}

asio::awaitable<start_result> sqlite_durable_store::start_attempt(participant_id who, instant now) {
  return state_->write<start_result>(
      [this, who, now, bank = state_->current_bank()](sqlite_database& db) {
        return state_->writer_store(db).start_attempt(who, now, *bank, secrets::random_u64());
      });
}

asio::awaitable<std::optional<attempt_record>> sqlite_durable_store::load_attempt(
    attempt_id which) {
  return state_->read<std::optional<attempt_record>>(
      [this, which](sqlite_database& db) { return state_->store_on(db).load_attempt(which); });
}

asio::awaitable<answer_result> sqlite_durable_store::answer(participant_id who, attempt_id which,
                                                            int index, choice_keys choice,
                                                            instant now) {
  return state_->write<answer_result>(
      [this, who, which, index, choice = std::move(choice), now](sqlite_database& db) {
        return state_->writer_store(db).answer(who, which, index, choice, now);
      });
}

asio::awaitable<answer_result> sqlite_durable_store::finish(participant_id who, attempt_id which,
                                                            instant now) {
  return state_->write<answer_result>([this, who, which, now](sqlite_database& db) {
    return state_->writer_store(db).finish(who, which, now);
  });
}

asio::awaitable<int> sqlite_durable_store::expire_due(instant now) {
  return state_->write<int>(
      [this, now](sqlite_database& db) { return state_->writer_store(db).expire_due(now, 500); });
}

asio::awaitable<int> sqlite_durable_store::remove_expired(instant now) {
  return state_->write<int>([this, now](sqlite_database& db) {
    return state_->writer_store(db).remove_expired(now, 500);
  });
}

asio::awaitable<draw_result_record> sqlite_durable_store::draw(participant_id who, instant now) {
  return state_->write<draw_result_record>(
      [this, who, now](sqlite_database& db) { return state_->writer_store(db).draw(who, now); });
}

asio::awaitable<std::vector<draw_record>> sqlite_durable_store::draws(participant_id who) {
  return state_->read<std::vector<draw_record>>(
      [this, who](sqlite_database& db) { return state_->store_on(db).draws(who); });
}

asio::awaitable<std::vector<region>> sqlite_durable_store::regions() {
  return state_->read<std::vector<region>>(
      [](sqlite_database& db) { return directory_store(db).regions(); });
}

asio::awaitable<std::vector<unit>> sqlite_durable_store::units(unit_query query) {
  return state_->read<std::vector<unit>>([query = std::move(query)](sqlite_database& db) {
    return directory_store(db).find_units(query.region_code, query.text, query.limit,
                                          query.with_parents);
  });
}

asio::awaitable<std::shared_ptr<const directory_snapshot>> sqlite_durable_store::directory() {
  return state_->read<std::shared_ptr<const directory_snapshot>>([](sqlite_database& db) {
    return std::make_shared<const directory_snapshot>(directory_store(db).snapshot());
  });
}

asio::awaitable<scope_totals> sqlite_durable_store::aggregate(std::optional<std::string> day) {
  return state_->scan<scope_totals>([this, day = std::move(day)](sqlite_database& db) {
    return aggregate_ledger(db, state_->config.competition.id, day);
  });
}

asio::awaitable<screen_figures> sqlite_durable_store::read_screen(screen_query query) {
  return state_->scan<screen_figures>(
      [query = std::move(query)](sqlite_database& db) { return read_screen_figures(db, query); });
}

asio::awaitable<std::int64_t> sqlite_durable_store::draws_before(std::string day) {
  return state_->scan<std::int64_t>(
      [day = std::move(day)](sqlite_database& db) { return count_draws_before(db, day); });
}

asio::awaitable<ledger_snapshot> sqlite_durable_store::snapshot_ledger() {
  return state_->scan<ledger_snapshot>([this](sqlite_database& db) {
    return anquanli::snapshot_ledger(db, state_->config.competition.id);
  });
}

asio::awaitable<std::vector<outbox_event>> sqlite_durable_store::outbox_after(std::int64_t after,
                                                                              int limit) {
  return state_->read<std::vector<outbox_event>>([this, after, limit](sqlite_database& db) {
    return read_outbox(db, state_->config.competition.id, after, limit);
  });
}

// The steps of an admin sign-in, each handed to a thread as a plain function: lambdas that own
// strings must not be built inside a co_await expression (GCC 12 destroys them twice).
asio::awaitable<admin_gate> read_gate(auto& state, std::string username, std::string address,
                                      instant now) {
  return state.template read<admin_gate>([&state, username = std::move(username),
                                          address = std::move(address), now](sqlite_database& db) {
    return admin_store(db, state.keys).gate(username, address, now);
  });
}

asio::awaitable<admin_sign_in> record_sign_in(auto& state, std::optional<admin_account> account,
                                              std::string username, std::string address,
                                              bool password_ok, instant now) {
  return state.template write<admin_sign_in>([&state, account = std::move(account),
                                              username = std::move(username),
                                              address = std::move(address), password_ok,
                                              now](sqlite_database& db) {
    return admin_store(db, state.keys).record_sign_in(account, username, address, password_ok, now);
  });
}

asio::awaitable<admin_login_result> sqlite_durable_store::admin_login(std::string username,
                                                                      std::string password,
                                                                      std::string address,
                                                                      instant now) {
  // Everything cheap first: a throttled address or account is refused without hashing.
  admin_gate gate = co_await read_gate(*state_, username, address, now);
  if (gate.wait_s > 0) {
    co_return admin_login_result{admin_login_outcome::locked, {}, {}, {}, gate.wait_s};
  }
  const bool password_ok =
      co_await state_->passwords.matches(std::move(gate.password_hash), std::move(password));
  admin_sign_in outcome = co_await record_sign_in(*state_, gate.account, std::move(username),
                                                  std::move(address), password_ok, now);
  switch (outcome.outcome) {
    case admin_sign_in_outcome::signed_in:
      co_return admin_login_result{admin_login_outcome::signed_in, std::move(outcome.token),
                                   now + admin_token_lifetime, *gate.account, 0};
    case admin_sign_in_outcome::waiting:
      co_return admin_login_result{admin_login_outcome::locked, {}, {}, {}, outcome.wait_s};
    case admin_sign_in_outcome::invalid: break;
  }
  co_return admin_login_result{};
}

asio::awaitable<bool> append_audit(auto& state, admin_account who, std::string action,
                                   std::string address, std::string detail, instant now) {
  return state.template write<bool>([&state, who = std::move(who), action = std::move(action),
                                     address = std::move(address), detail = std::move(detail),
                                     now](sqlite_database& db) {
    admin_store(db, state.keys).audit(who, who.username, action, address, detail, now);
    return true;
  });
}

asio::awaitable<void> sqlite_durable_store::audit(admin_account who, std::string action,
                                                  std::string address, std::string detail,
                                                  instant now) {
  co_await append_audit(*state_, std::move(who), std::move(action), std::move(address),
                        std::move(detail), now);
}

asio::awaitable<std::vector<audit_entry>> sqlite_durable_store::audit_log(int limit,
                                                                          std::int64_t before_id) {
  return state_->read<std::vector<audit_entry>>([this, limit, before_id](sqlite_database& db) {
    return admin_store(db, state_->keys).audit_log(limit, before_id);
  });
}

asio::awaitable<std::optional<admin_account>> sqlite_durable_store::authenticate_admin(
    std::string token, instant now) {
  return state_->read<std::optional<admin_account>>(
      [this, token = std::move(token), now](sqlite_database& db) {
        return admin_store(db, state_->keys).authenticate(token, now);
      });
}

asio::awaitable<bulletin> sqlite_durable_store::build_bulletin(bulletin_request request,
                                                               instant now) {
  return state_->scan<bulletin>([this, request = std::move(request), now](sqlite_database& db) {
    return anquanli::build_bulletin(db, state_->config.competition, request, now);
  });
}

asio::awaitable<std::vector<bulletin>> sqlite_durable_store::build_bulletins(
    bulletin_request request, std::vector<bulletin_level> levels, instant now) {
  return state_->scan<std::vector<bulletin>>(
      [this, request = std::move(request), levels = std::move(levels), now](sqlite_database& db) {
        return anquanli::build_bulletins(db, state_->config.competition, request, levels, now);
      });
}

asio::awaitable<bulletin_snapshot_summary> sqlite_durable_store::create_bulletin_snapshot(
    bulletin_snapshot_draft draft) {
  draft.competition_id = state_->config.competition.id;
  return state_->write<bulletin_snapshot_summary>(
      [draft = std::move(draft)](sqlite_database& db) mutable {
        return bulletin_snapshot_store(db).create(std::move(draft));
      });
}

asio::awaitable<std::vector<bulletin_snapshot_summary>>
sqlite_durable_store::list_bulletin_snapshots(bulletin_snapshot_filter filter) {
  filter.competition_id = state_->config.competition.id;
  return state_->read<std::vector<bulletin_snapshot_summary>>(
      [filter = std::move(filter)](sqlite_database& db) {
        return bulletin_snapshot_store(db).list(filter);
      });
}

asio::awaitable<std::optional<bulletin_snapshot>> sqlite_durable_store::load_bulletin_snapshot(
    std::int64_t id) {
  return state_->read<std::optional<bulletin_snapshot>>([this, id](sqlite_database& db) {
    return bulletin_snapshot_store(db).load(state_->config.competition.id, id);
  });
}

asio::awaitable<std::vector<daily_row>> sqlite_durable_store::daily(std::string scope, day_key from,
                                                                    day_key to) {
  return state_->scan<std::vector<daily_row>>(
      [this, scope = std::move(scope), from, to](sqlite_database& db) {
        return daily_trend(db, state_->config.competition, scope, from, to);
      });
}

asio::awaitable<std::vector<winner_row>> sqlite_durable_store::winners(std::string scope) {
  return state_->read<std::vector<winner_row>>(
      [this, scope = std::move(scope)](sqlite_database& db) {
        return anquanli::winners(db, state_->keys, scope);
      });
}

asio::awaitable<std::vector<question_stat>> sqlite_durable_store::question_stats(std::string scope,
                                                                                 day_key from,
                                                                                 day_key to) {
  return state_->scan<std::vector<question_stat>>(
      [this, scope = std::move(scope), from, to](sqlite_database& db) {
        auto stats = anquanli::question_stats(db, state_->config.competition, scope, from, to);
        auto options = option_distributions(db, state_->config.competition, {scope, from, to});
        for (auto& stat : stats) {
          if (auto found = options.find(stat.id); found != options.end()) {
            stat.options = std::move(found->second);
          }
        }
        return stats;
      });
}

asio::awaitable<category_report> sqlite_durable_store::category_stats(std::string scope,
                                                                      day_key from, day_key to) {
  return state_->scan<category_report>(
      [this, scope = std::move(scope), from, to](sqlite_database& db) {
        return anquanli::category_stats(db, state_->config.competition, {scope, from, to});
      });
}

asio::awaitable<std::optional<participant_file>> sqlite_durable_store::find_participant(
    std::string phone) {
  return state_->read<std::optional<participant_file>>(
      [this, phone = std::move(phone)](sqlite_database& db) {
        return participant_lookup(db, state_->keys).find_by_phone(phone);
      });
}

asio::awaitable<std::optional<participant_file>> sqlite_durable_store::participant_file_of(
    participant_id who) {
  return state_->read<std::optional<participant_file>>(
      [this, who](sqlite_database& db) { return participant_lookup(db, state_->keys).find(who); });
}

asio::awaitable<correction_outcome> sqlite_durable_store::correct_participant(
    placement_change change, admin_account by, std::string address, instant now) {
  return state_->write<correction_outcome>([this, change = std::move(change), by = std::move(by),
                                            address = std::move(address),
                                            now](sqlite_database& db) {
    return participant_lookup(db, state_->keys).correct(change, by, address, now);
  });
}

asio::awaitable<void> sqlite_durable_store::reload_questions() {
  auto fresh =
      co_await state_->read<std::shared_ptr<const std::vector<question>>>([](sqlite_database& db) {
        return std::make_shared<const std::vector<question>>(question_store(db).list({}));
      });
  const std::lock_guard lock(state_->bank_mutex);
  state_->bank = std::move(fresh);
}

// ---- the participant's own layer (issue 16) ---------------------------------------------------

asio::awaitable<std::vector<attempt_summary>> sqlite_durable_store::my_attempts(participant_id who,
                                                                                attempt_kind kind) {
  return state_->read<std::vector<attempt_summary>>(
      [who, kind](sqlite_database& db) { return history_store(db).attempts(who, kind); });
}

asio::awaitable<std::vector<mistake_record>> sqlite_durable_store::mistakes(participant_id who) {
  return state_->read<std::vector<mistake_record>>(
      [who](sqlite_database& db) { return history_store(db).mistakes(who); });
}

asio::awaitable<practice_result> sqlite_durable_store::start_practice(participant_id who,
                                                                      practice_request request,
                                                                      instant now) {
  return state_->write<practice_result>([this, who, request = std::move(request), now,
                                         bank = state_->current_bank()](sqlite_database& db) {
    competition_store store = state_->writer_store(db);
    return anquanli::start_practice(db, {state_->config, store}, *bank, who, request, now,
                                    secrets::random_u64());
  });
}

asio::awaitable<void> sqlite_durable_store::record_consent(participant_id who, instant now) {
  co_await state_->write<bool>([who, now](sqlite_database& db) {
    sqlite_statement consent =
        db.prepare("UPDATE participants SET consent_at = ?2 WHERE id = ?1 AND consent_at IS NULL");
    consent.bind(1, who.value()).bind(2, std::int64_t{now.time_since_epoch().count()});
    consent.run();
    return true;
  });
}

asio::awaitable<std::vector<prize_standing>> sqlite_durable_store::prizes(instant now) {
  return state_->read<std::vector<prize_standing>>([this, now](sqlite_database& db) {
    return prize_store(db, state_->keys)
        .standings(day_key_of(now, state_->config.competition.offset));
  });
}

asio::awaitable<std::vector<public_winner>> sqlite_durable_store::public_winners(
    std::optional<std::string> day) {
  return state_->read<std::vector<public_winner>>(
      [this, day = std::move(day)](sqlite_database& db) {
        return prize_store(db, state_->keys).winners(day);
      });
}

asio::awaitable<claim_result> sqlite_durable_store::claim_prize(participant_id who,
                                                                std::int64_t draw_id,
                                                                prize_claim details, instant now) {
  return state_->write<claim_result>(
      [this, who, draw_id, details = std::move(details), now](sqlite_database& db) {
        return prize_store(db, state_->keys).claim(who, draw_id, details, now);
      });
}

asio::awaitable<sent_result> sqlite_durable_store::mark_prize_sent(std::string scope_region,
                                                                   std::int64_t draw_id,
                                                                   instant now) {
  return state_->write<sent_result>(
      [this, scope_region = std::move(scope_region), draw_id, now](sqlite_database& db) {
        return prize_store(db, state_->keys).mark_sent(scope_region, draw_id, now);
      });
}

asio::awaitable<std::map<std::int64_t, prize_delivery>> sqlite_durable_store::prize_deliveries() {
  return state_->read<std::map<std::int64_t, prize_delivery>>(
      [this](sqlite_database& db) { return prize_store(db, state_->keys).deliveries(); });
}

asio::awaitable<std::vector<draw_commitment>> sqlite_durable_store::commitments(instant now) {
  return state_->read<std::vector<draw_commitment>>([this, now](sqlite_database& db) {
    return draw_commitments(db, state_->keys)
        .list(day_key_of(now, state_->config.competition.offset));
  });
}

asio::awaitable<std::vector<participant_event>> sqlite_durable_store::participant_events_after(
    std::int64_t after, int limit) {
  return state_->read<std::vector<participant_event>>([this, after, limit](sqlite_database& db) {
    return read_participant_events(db, state_->config.competition.id, after, limit);
  });
}

asio::awaitable<participant_snapshot> sqlite_durable_store::snapshot_participants() {
  return state_->scan<participant_snapshot>([this](sqlite_database& db) {
    return anquanli::snapshot_participants(db, state_->config.competition.id);
  });
}

asio::awaitable<participant_board_rows> sqlite_durable_store::participant_scores(
    std::string region_code, std::optional<std::string> day) {
  return state_->read<participant_board_rows>([this, region_code = std::move(region_code),
                                               day = std::move(day)](sqlite_database& db) {
    return anquanli::read_participant_scores(db, state_->config.competition.id, region_code, day);
  });
}

// ---- the campaign's reporting forms ----

asio::awaitable<reporting_filing> sqlite_durable_store::reporting_filing_of(
    admin_account who, reporting_form_kind form) {
  return state_->read<reporting_filing>([who = std::move(who), form](sqlite_database& db) {
    reporting_store store(db);
    return store.load(store.filer_of(who), form);
  });
}

asio::awaitable<reporting_draft> sqlite_durable_store::save_reporting_draft(
    admin_account who, reporting_form_kind form, reporting_values values, instant now) {
  return state_->write<reporting_draft>(
      [who = std::move(who), form, values = std::move(values), now](sqlite_database& db) {
        reporting_store store(db);
        return store.save_draft(store.filer_of(who), form, values, who.username, now);
      });
}

asio::awaitable<reporting_submission> sqlite_durable_store::submit_reporting(
    admin_account who, reporting_form_kind form, reporting_values values, day_key due,
    std::string address, instant now) {
  return state_->write<reporting_submission>(
      [this, who = std::move(who), form, values = std::move(values), due,
       address = std::move(address), now](sqlite_database& db) {
        reporting_store store(db);
        const reporting_filer filer = store.filer_of(who);
        reporting_submission made = store.submit(filer, form, values, who.username, due,
                                                 state_->config.competition.offset, now);
        const std::string detail = std::string{to_string(form)} + " " + filer.region_code + " " +
                                   filer.organisation + " v" + std::to_string(made.version) +
                                   (made.late ? " late" : "");
        admin_store(db, state_->keys)
            .audit(who, who.username, "reporting_submit", address, detail, now);
        return made;
      });
}

asio::awaitable<reporting_filer> sqlite_durable_store::reporting_filer_of(admin_account who) {
  return state_->read<reporting_filer>(
      [who = std::move(who)](sqlite_database& db) { return reporting_store(db).filer_of(who); });
}

asio::awaitable<std::vector<reporting_status_row>> sqlite_durable_store::reporting_overview(
    std::string scope, reporting_form_kind form) {
  return state_->read<std::vector<reporting_status_row>>(
      [scope = std::move(scope), form](sqlite_database& db) {
        return reporting_store(db).overview(scope, form);
      });
}

asio::awaitable<bool> sqlite_durable_store::ready() {
  return state_->read<bool>([](sqlite_database& db) { return db.user_version() > 0; });
}

}  // namespace anquanli
