# Sidekiq jobs for SidekiqTest. Every run is recorded in a list under runs:<job>, so the test counts
# executions from outside. Loaded by the sidekiq process (-r) and by sidekiq_client.rb.
require "sidekiq"

# Sidekiq 6.4 calls sadd in a way redis-rb 4.8 warns about on every push; the warning is not news.
Redis.silence_deprecations = true

Sidekiq.configure_server do |config|
  # Polls the retry and schedule sets every 0.5-1.5 s, after at most 5 s (not 5-15 s) at start.
  config.options[:poll_interval_average] = 1
end

module Runs
  def record(name, value)
    Sidekiq.redis { |redis| redis.rpush("runs:#{name}", value) }
  end
end

class SquareJob
  include Sidekiq::Job
  include Runs

  def perform(n)
    record("square", n * n)
  end
end

# Fails on its first run; its retry comes a second later (not after Sidekiq's 15 s or more).
class FlakyJob
  include Sidekiq::Job
  include Runs
  sidekiq_options retry: 2
  sidekiq_retry_in { 1 }

  def perform
    runs = Sidekiq.redis { |redis| redis.rpush("runs:flaky", Time.now.to_f) }
    raise "not yet" if runs == 1
  end
end

# Fails every time: one retry, then the dead set.
class DoomedJob
  include Sidekiq::Job
  include Runs
  sidekiq_options retry: 1
  sidekiq_retry_in { 1 }

  def perform
    record("doomed", Time.now.to_f)
    raise "always"
  end
end

class ClockJob
  include Sidekiq::Job
  include Runs

  def perform(due)
    record("clock", Time.now.to_f - due)
  end
end
