from django.apps import AppConfig


class WinterplanConfig(AppConfig):
    name = "winterplan"
    verbose_name = "Councils and users"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth import user_logged_in, user_login_failed
        from django.contrib.auth.models import update_last_login
        from simple_history.signals import pre_create_historical_record

        from winterplan import audit, history, tables_speed

        pre_create_historical_record.connect(history.command_reason,
                                             dispatch_uid="winterplan_command_reason")
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(history.last_login_record, dispatch_uid="winterplan_last_login")
        user_logged_in.connect(audit.on_signed_in, dispatch_uid="winterplan_audit_sign_in")
        user_login_failed.connect(audit.on_sign_in_failed,
                                  dispatch_uid="winterplan_audit_sign_in_failed")
        user_locked_out.connect(audit.on_locked_out, dispatch_uid="winterplan_audit_locked_out")
        tables_speed.install()
