# The client side of SidekiqTest: `enqueue` pushes the jobs; `await SECONDS` waits until they have all
# run (the sidekiq process runs them) and prints a report; exits 1 if they have not by then.
require "sidekiq"
require "sidekiq/api"
require_relative "postbox_jobs"

Sidekiq.configure_client { |config| config.redis = { url: ENV.fetch("REDIS_URL") } }

def runs(name)
  Sidekiq.redis { |redis| redis.lrange("runs:#{name}", 0, -1) }
end

case ARGV[0]
when "enqueue"
  10.times { |n| SquareJob.perform_async(n) }
  FlakyJob.perform_async
  DoomedJob.perform_async
  ClockJob.perform_in(2, Time.now.to_f + 2)
  puts "enqueued: #{Sidekiq::Queue.new.size} scheduled: #{Sidekiq::ScheduledSet.new.size}"
when "await"
  deadline = Time.now + Float(ARGV[1])
  until runs("square").size == 10 && runs("flaky").size == 2 && Sidekiq::DeadSet.new.size == 1 && runs("clock").size == 1
    abort "timed out: square #{runs('square').size} flaky #{runs('flaky').size} dead #{Sidekiq::DeadSet.new.size} clock #{runs('clock').size}" if Time.now > deadline
    sleep 0.2
  end
  puts "squares: #{runs('square').map(&:to_i).sort.inspect}"
  puts "flaky runs: #{runs('flaky').size}, retried after 1 s: #{runs('flaky').map(&:to_f).each_cons(2).all? { |a, b| b - a >= 1 }}"
  puts "doomed runs: #{runs('doomed').size}, dead: #{Sidekiq::DeadSet.new.map { |job| job.klass }.inspect}"
  puts "clock ran when due: #{runs('clock').all? { |late| late.to_f >= 0 }}"
  puts "left: queue #{Sidekiq::Queue.new.size} retry #{Sidekiq::RetrySet.new.size} scheduled #{Sidekiq::ScheduledSet.new.size}"
end
