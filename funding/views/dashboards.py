from django.http import HttpResponse


def staff_dashboard(request):
    return HttpResponse("")


def staff_dashboard_csv(request):
    return HttpResponse("")


def public_dashboard(request):
    return HttpResponse("")


def public_csv(request):
    return HttpResponse("")


def public_json(request):
    return HttpResponse("")
